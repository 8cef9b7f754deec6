package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// List is one word or phrase list of a pack as the rules page edits it: Key is its path in the
// pack ("rules.blame.patterns", "questions.verbs", "rules.weak-word.entries[1].words").
type List struct {
	Key     string
	Kind    string // patterns, exceptions, words (names the list in the interface)
	Label   string // the weak-word entry's label, to tell the groups apart
	Entries []string
}

// RuleLists are the lists a rule reads, in the order the page shows them.
func RuleLists(p *coach.Pack, id string) []List {
	r := p.Rules[id]
	if r == nil {
		return nil
	}
	pats := func(kind string, ps []coach.Pattern) List {
		l := List{Key: "rules." + id + "." + kind, Kind: kind}
		for _, pt := range ps {
			l.Entries = append(l.Entries, pt.Text)
		}
		return l
	}
	words := func(key, kind string, ws []string) List {
		return List{Key: key, Kind: kind, Entries: slices.Clone(ws)}
	}
	switch id {
	case coach.RuleNoBut:
		return []List{words("rules.no-but.words", "but_words", r.Words), pats("exceptions", r.Exceptions)}
	case coach.RuleClosedQuestion:
		return []List{words("questions.verbs", "question_verbs", p.Questions.Verbs), words("questions.open", "open_words", p.Questions.Open)}
	case coach.RuleWeakWord:
		var out []List
		for i, e := range r.Entries {
			out = append(out, List{Key: fmt.Sprintf("rules.weak-word.entries[%d].words", i), Kind: "weak_" + nonEmpty(e.Action, "advice"), Label: e.Label, Entries: slices.Clone(e.Words)})
		}
		return out
	case coach.RuleEscalation:
		return []List{pats("patterns", r.Patterns), words("rules.escalation.acronyms", "acronyms", r.Acronyms), words("rules.escalation.shout_words", "shout_words", r.ShoutWords)}
	case coach.RuleGreeting:
		return []List{words("greetings", "greetings", p.Greetings)}
	case coach.RuleShortReply:
		return nil
	}
	return []List{pats("patterns", r.Patterns), pats("exceptions", r.Exceptions)}
}

// OurNamesList is the words that mean us.
func OurNamesList(p *coach.Pack) List {
	return List{Key: "our_names", Kind: "our_names", Entries: slices.Clone(p.OurNames)}
}

func nonEmpty(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

var weakKey = regexp.MustCompile(`^rules\.weak-word\.entries\[(\d+)\]\.words$`)

// strings of a list by key, and a setter; false for an unknown key.
func listRef(p *coach.Pack, key string) (get func() []string, set func([]string), ok bool) {
	sl := func(ptr *[]string) (func() []string, func([]string), bool) {
		return func() []string { return *ptr }, func(v []string) { *ptr = v }, true
	}
	switch key {
	case "questions.verbs":
		return sl(&p.Questions.Verbs)
	case "questions.open":
		return sl(&p.Questions.Open)
	case "greetings":
		return sl(&p.Greetings)
	case "our_names":
		return sl(&p.OurNames)
	}
	if m := weakKey.FindStringSubmatch(key); m != nil {
		i, _ := strconv.Atoi(m[1])
		r := p.Rules[coach.RuleWeakWord]
		if r == nil || i >= len(r.Entries) {
			return nil, nil, false
		}
		return sl(&r.Entries[i].Words)
	}
	rest, found := strings.CutPrefix(key, "rules.")
	if !found {
		return nil, nil, false
	}
	id, field, found := strings.Cut(rest, ".")
	r := p.Rules[id]
	if !found || r == nil {
		return nil, nil, false
	}
	switch field {
	case "words":
		return sl(&r.Words)
	case "acronyms":
		return sl(&r.Acronyms)
	case "shout_words":
		return sl(&r.ShoutWords)
	case "patterns", "exceptions":
		ptr := &r.Patterns
		if field == "exceptions" {
			ptr = &r.Exceptions
		}
		get := func() []string {
			out := make([]string, len(*ptr))
			for i, pt := range *ptr {
				out[i] = pt.Text
			}
			return out
		}
		// keep each pattern's options (message, not_question …) with its text; a new one is plain
		set := func(v []string) {
			old := *ptr
			next := make([]coach.Pattern, len(v))
			used := make([]bool, len(old))
			for i, t := range v {
				next[i] = coach.Pattern{Text: t}
				for j, o := range old {
					if !used[j] && o.Text == t {
						next[i], used[j] = o, true
						break
					}
				}
			}
			*ptr = next
		}
		return get, set, true
	}
	return nil, nil, false
}

// ListEdit is one change to one list: add a value, edit the entry at Index, or remove it; Note says why.
type ListEdit struct {
	Key   string
	Op    string // add, edit, remove
	Index int
	Value string
	Note  string
}

// Apply makes the edit on p; an unknown list or index is invalid on field "key" / "index".
func (e ListEdit) Apply(p *coach.Pack) error {
	get, set, ok := listRef(p, e.Key)
	if !ok {
		return desk.Errorf(desk.EINVALID, "key", "There is no list %q in this pack.", e.Key)
	}
	list := slices.Clone(get())
	value := strings.TrimSpace(e.Value)
	switch {
	case e.Op == "add" || (e.Op == "edit" && e.Index == len(list)):
		list = append(list, value)
	case e.Index < 0 || e.Index >= len(list):
		return desk.Errorf(desk.EINVALID, "index", "Entry %d is not in the list; reload the page.", e.Index)
	case e.Op == "edit":
		setNote(p, e.Key, list[e.Index], "")
		list[e.Index] = value
	case e.Op == "remove":
		setNote(p, e.Key, list[e.Index], "")
		list = slices.Delete(list, e.Index, e.Index+1)
		set(list)
		return nil
	default:
		return desk.Errorf(desk.EINVALID, "op", "Unknown change %q.", e.Op)
	}
	set(list)
	setNote(p, e.Key, value, e.Note)
	return nil
}

func setNote(p *coach.Pack, key, entry, note string) {
	note = strings.TrimSpace(note)
	if note == "" {
		if p.Notes[key] != nil {
			delete(p.Notes[key], entry)
			if len(p.Notes[key]) == 0 {
				delete(p.Notes, key)
			}
		}
		return
	}
	if p.Notes == nil {
		p.Notes = map[string]map[string]string{}
	}
	if p.Notes[key] == nil {
		p.Notes[key] = map[string]string{}
	}
	p.Notes[key][entry] = note
}

// Note is the note on one entry of a list.
func Note(p *coach.Pack, key, entry string) string { return p.Notes[key][entry] }

// RuleSettings are a rule's scalar settings as the rules page edits them.
type RuleSettings struct {
	Enabled    bool
	Severity   coach.Severity
	Threshold  int
	Window     int
	Message    string
	Suggestion string
}

// Apply sets a rule's settings on p.
func (rs RuleSettings) Apply(p *coach.Pack, id string) error {
	r := p.Rules[id]
	if r == nil {
		return desk.Errorf(desk.ENOTFOUND, "rule", "There is no rule %q in this pack.", id)
	}
	if rs.Enabled {
		r.Enabled = nil
	} else {
		f := false
		r.Enabled = &f
	}
	r.Severity = rs.Severity
	r.Threshold, r.Window = rs.Threshold, rs.Window
	r.Message, r.Suggestion = strings.TrimSpace(rs.Message), strings.TrimSpace(rs.Suggestion)
	return nil
}

// CustomRule is a rule of the admins' own.
type CustomRule struct {
	ID         string
	Severity   coach.Severity
	Message    string
	Suggestion string
	Patterns   []string
}

// Apply adds the rule to p; an id already in the pack is a clash on field "rules.<id>.id".
func (cr CustomRule) Apply(p *coach.Pack) error {
	id := strings.TrimSpace(cr.ID)
	if p.Rules[id] != nil && !p.Rules[id].Custom {
		// a built-in id: let validation say so at the field
		p.Rules[id].Custom = true
		return nil
	}
	if p.Rules[id] != nil {
		return desk.Errorf(desk.ECONFLICT, "rules."+id+".id", "There is already a rule %q.", id)
	}
	r := &coach.RuleConf{Custom: true, Severity: cr.Severity, Message: strings.TrimSpace(cr.Message), Suggestion: strings.TrimSpace(cr.Suggestion)}
	for _, pt := range cr.Patterns {
		r.Patterns = append(r.Patterns, coach.Pattern{Text: strings.TrimSpace(pt)})
	}
	if p.Rules == nil {
		p.Rules = map[string]*coach.RuleConf{}
	}
	p.Rules[id] = r
	return nil
}

// ExampleEdit adds an example to a rule or removes one.
type ExampleEdit struct {
	Rule    string
	Op      string // add, remove
	Index   int
	Example coach.Example
}

// Apply makes the edit on p.
func (e ExampleEdit) Apply(p *coach.Pack) error {
	if p.Rules[e.Rule] == nil {
		return desk.Errorf(desk.EINVALID, "rule", "There is no rule %q in this pack.", e.Rule)
	}
	if p.Examples == nil {
		p.Examples = map[string][]coach.Example{}
	}
	list := p.Examples[e.Rule]
	switch e.Op {
	case "add":
		e.Example.Text = strings.TrimSpace(e.Example.Text)
		e.Example.Span = strings.TrimSpace(e.Example.Span)
		if !e.Example.Fire {
			e.Example.Span = ""
		}
		p.Examples[e.Rule] = append(list, e.Example)
	case "remove":
		if e.Index < 0 || e.Index >= len(list) {
			return desk.Errorf(desk.EINVALID, "index", "Example %d is not there; reload the page.", e.Index)
		}
		p.Examples[e.Rule] = slices.Delete(slices.Clone(list), e.Index, e.Index+1)
		if len(p.Examples[e.Rule]) == 0 {
			delete(p.Examples, e.Rule)
		}
	default:
		return desk.Errorf(desk.EINVALID, "op", "Unknown change %q.", e.Op)
	}
	return nil
}

// Hits are how often each list entry fired in the last days, with the verdicts on those findings;
// Replies is how many replies there were, the base of "noisy".
type Hits struct {
	Replies int
	entries map[string]EntryStat // list key + "\x00" + entry (lower case, lemma)
	rules   map[string]EntryStat
}

// EntryStat is one entry's (or rule's) findings and verdicts.
type EntryStat struct{ Hits, Confirmed, Dismissed int }

// Noisy: on more than 5 % of replies, or a measured precision under 0.7 (from 10 verdicts).
func (e EntryStat) Noisy(replies int) bool {
	if replies > 0 && e.Hits*20 > replies {
		return true
	}
	n := e.Confirmed + e.Dismissed
	return n >= 10 && float64(e.Confirmed) < 0.7*float64(n)
}

var indexSuffix = regexp.MustCompile(`\[\d+\]$`)
var quoted = regexp.MustCompile(`'([^']+)'`)

func entryKey(list, entry string) string {
	entry, _, _ = strings.Cut(entry, "/") // prøve/verb is listed as prøve
	return list + "\x00" + strings.ToLower(strings.TrimSpace(entry))
}

// Entry is the stat of one list entry.
func (h Hits) Entry(list, entry string) EntryStat { return h.entries[entryKey(list, entry)] }

// Rule is the stat of one rule.
func (h Hits) Rule(id string) EntryStat { return h.rules[id] }

func newHits(replies int, rows []store.EntryHits) Hits {
	h := Hits{Replies: replies, entries: map[string]EntryStat{}, rules: map[string]EntryStat{}}
	for _, r := range rows {
		list, entry := indexSuffix.ReplaceAllString(r.Entry, ""), r.Pattern
		if list == r.Entry { // a mechanism's list: the word is quoted in what it saw
			if m := quoted.FindStringSubmatch(r.Pattern); m != nil {
				entry = m[1]
			}
		}
		k := entryKey(list, entry)
		e := h.entries[k]
		e.Hits, e.Confirmed, e.Dismissed = e.Hits+r.Hits, e.Confirmed+r.Confirmed, e.Dismissed+r.Dismissed
		h.entries[k] = e
		t := h.rules[r.Rule]
		t.Hits, t.Confirmed, t.Dismissed = t.Hits+r.Hits, t.Confirmed+r.Confirmed, t.Dismissed+r.Dismissed
		h.rules[r.Rule] = t
	}
	return h
}
