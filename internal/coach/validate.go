package coach

import (
	"fmt"
	"sort"
	"strings"
)

// Reasons a field of a pack is refused; each has its own message in the interface.
const (
	ReasonEmpty      = "empty"       // an empty entry
	ReasonDuplicate  = "duplicate"   // the same entry twice in one list
	ReasonBadPattern = "bad_pattern" // the pattern does not compile (Detail says why)
	ReasonMatchEmpty = "match_empty" // the pattern could match no words at all
	ReasonRange      = "range"       // a number out of its range (Detail: "min-max")
	ReasonUnknown    = "unknown"     // an unknown rule, severity or field
	ReasonClash      = "clash"       // a custom rule id that is a built-in one (or taken)
	ReasonBadID      = "bad_id"      // a custom rule id that is not lower-case letters, digits and dashes
	ReasonInvalid    = "invalid"     // anything else the pack parser refuses (Detail says what)
)

// FieldError is one thing wrong with a pack, at its place: Field is the path of the entry
// ("rules.weak-word.entries[1].words[2]", "rules.short-reply.threshold").
type FieldError struct {
	Field  string
	Reason string
	Detail string
}

func (e FieldError) Error() string {
	if e.Detail != "" {
		return e.Field + ": " + e.Reason + " (" + e.Detail + ")"
	}
	return e.Field + ": " + e.Reason
}

// Ranges of the numbers an admin sets.
var numberRanges = map[string][2]int{
	RuleShortReply + ".threshold":  {1, 500},
	RuleEscalation + ".threshold":  {1, 50},
	RuleAcknowledge + ".window":    {1, 10},
	RuleAcknowledge + ".threshold": {0, 0},
}

// Validate checks a pack an admin changed and reports every problem at its field; nil means the
// pack compiles and every list is clean.
func Validate(p *Pack) []FieldError {
	var errs []FieldError
	add := func(field, reason, detail string) { errs = append(errs, FieldError{field, reason, detail}) }
	if !ValidLang(p.Lang) || p.Lang == "" || p.Lang == "auto" {
		add("lang", ReasonUnknown, p.Lang)
		return errs
	}
	m := newMatcher(p.Classes)
	ids := make([]string, 0, len(p.Rules))
	for id := range p.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := p.Rules[id]
		f := "rules." + id
		switch {
		case r == nil:
			add(f, ReasonEmpty, "")
			continue
		case r.Custom && IsBuiltin(id):
			add(f+".id", ReasonClash, id)
		case r.Custom && !validCustomID(id):
			add(f+".id", ReasonBadID, id)
		case !r.Custom && !IsBuiltin(id):
			add(f, ReasonUnknown, id)
		}
		if r.Severity != "" && !r.Severity.valid() {
			add(f+".severity", ReasonUnknown, string(r.Severity))
		}
		for _, n := range []struct {
			name string
			v    int
		}{{"threshold", r.Threshold}, {"window", r.Window}} {
			rg, ok := numberRanges[id+"."+n.name]
			if n.v == 0 && (!ok || rg[0] > 0 || n.name == "window") {
				continue // unset: the rule's default
			}
			if !ok {
				rg = [2]int{0, 0}
			}
			if n.v < rg[0] || n.v > rg[1] {
				add(f+"."+n.name, ReasonRange, fmt.Sprintf("%d-%d", rg[0], rg[1]))
			}
		}
		if r.enabled() && strings.TrimSpace(r.Message) == "" && id != RuleWeakWord {
			add(f+".message", ReasonEmpty, "")
		}
		checkPatterns(m, f+".patterns", r.Patterns, add)
		checkPatterns(m, f+".exceptions", r.Exceptions, add)
		if r.Custom && len(r.Patterns) == 0 {
			add(f+".patterns", ReasonEmpty, "")
		}
		checkWords(f+".words", r.Words, add)
		checkWords(f+".acronyms", r.Acronyms, add)
		checkWords(f+".shout_words", r.ShoutWords, add)
		seen := map[string]string{}
		for i, e := range r.Entries {
			ef := fmt.Sprintf("%s.entries[%d]", f, i)
			if len(e.Words) == 0 {
				add(ef+".words", ReasonEmpty, "")
			}
			for j, w := range e.Words {
				wf := fmt.Sprintf("%s.words[%d]", ef, j)
				if !fresh(seen, wf, w, add) {
					continue
				}
				if _, err := p.inflected(w, nil); err != nil {
					add(wf, ReasonBadPattern, err.Error())
				} else if strings.ContainsAny(w, "|*?@~^") {
					add(wf, ReasonBadPattern, "a weak word is a word or a phrase, not a pattern")
				}
			}
		}
	}
	for _, id := range ruleIDs {
		if p.Rules[id] == nil {
			add("rules."+id, ReasonEmpty, "")
		}
	}
	checkWords("greetings", p.Greetings, add)
	checkWords("questions.verbs", p.Questions.Verbs, add)
	checkWords("questions.open", p.Questions.Open, add)
	checkWords("our_names", p.OurNames, add)
	for i, n := range p.OurNames {
		if err := checkName(n); err != nil && strings.TrimSpace(n) != "" {
			add(fmt.Sprintf("our_names[%d]", i), ReasonBadPattern, err.Error())
		}
	}
	rules := map[string]bool{}
	for _, id := range p.RuleIDs() {
		rules[id] = true
	}
	exIDs := make([]string, 0, len(p.Examples))
	for id := range p.Examples {
		exIDs = append(exIDs, id)
	}
	sort.Strings(exIDs)
	for _, id := range exIDs {
		if !rules[id] {
			add("examples."+id, ReasonUnknown, id)
		}
		for i, ex := range p.Examples[id] {
			f := fmt.Sprintf("examples.%s[%d]", id, i)
			if strings.TrimSpace(ex.Text) == "" {
				add(f+".text", ReasonEmpty, "")
			} else if ex.Span != "" && !strings.Contains(ex.Text, ex.Span) {
				add(f+".span", ReasonInvalid, "the span is not in the text")
			}
		}
	}
	for _, e := range errs {
		if e.Reason != ReasonDuplicate {
			return errs
		}
	}
	// Whatever the lists allow, the pack must still compile as a whole.
	q, err := ClonePack(p)
	if err == nil {
		_, err = compilePack(q)
	}
	if err != nil {
		add("pack", ReasonInvalid, err.Error())
	}
	return errs
}

// ValidateChange is Validate less the problems base already had at the same place: the embedded
// packs repeat a few acronyms and verbs, which an admin's edit should not be blamed for.
func ValidateChange(base, p *Pack) []FieldError {
	old := map[FieldError]bool{}
	if base != nil {
		for _, e := range Validate(base) {
			old[e] = true
		}
	}
	var out []FieldError
	for _, e := range Validate(p) {
		if !old[e] {
			out = append(out, e)
		}
	}
	return out
}

// checkWords reports empty and repeated entries of a word list.
func checkWords(field string, list []string, add func(field, reason, detail string)) {
	seen := map[string]string{}
	for i, w := range list {
		fresh(seen, fmt.Sprintf("%s[%d]", field, i), w, add)
	}
}

// fresh reports entry w at field as empty or as a repeat of one in seen (case and spacing aside),
// and otherwise remembers it; true when the entry is neither.
func fresh(seen map[string]string, field, w string, add func(field, reason, detail string)) bool {
	k := strings.Join(strings.Fields(strings.ToLower(w)), " ")
	switch {
	case k == "":
		add(field, ReasonEmpty, "")
	case seen[k] != "":
		add(field, ReasonDuplicate, seen[k])
	default:
		seen[k] = field
		return true
	}
	return false
}

// checkPatterns compiles each pattern alone and reports empty, repeated and broken ones.
func checkPatterns(m *matcher, field string, list []Pattern, add func(field, reason, detail string)) {
	seen := map[string]string{}
	for i, pt := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !fresh(seen, f, pt.Text, add) {
			continue
		}
		if matchesEmpty(strings.ToLower(pt.Text)) {
			add(f, ReasonMatchEmpty, "")
			continue
		}
		if _, _, err := m.parse(pt.Text); err != nil {
			add(f, ReasonBadPattern, err.Error())
		}
	}
}

// matchesEmpty: a pattern whose every element is optional, a gap, any word or bare punctuation would
// match anywhere (or nowhere a reader can see).
func matchesEmpty(pat string) bool {
	for _, tok := range strings.Fields(strings.TrimPrefix(pat, "^")) {
		t := strings.TrimSuffix(tok, "?")
		if tok != t || t == "_" || strings.HasPrefix(t, "~") || t == "*" {
			continue
		}
		if strings.IndexFunc(t, func(r rune) bool { return r != '*' && r != '|' && r != '^' }) < 0 {
			continue
		}
		return false
	}
	return true
}
