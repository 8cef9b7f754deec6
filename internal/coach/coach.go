// Package coach reads an agent's reply and says what to improve: the rules of
// design/coaching-rules.md over per-language packs (da, nb, sv, en) that hold all words and messages.
// It is pure (no I/O, no mutable globals) and a *Coach is safe for concurrent use.
package coach

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Severity of a finding; evaluation and the send gate count error and warning.
type Severity string

const (
	SevError      Severity = "error"
	SevWarning    Severity = "warning"
	SevSuggestion Severity = "suggestion"
)

func (s Severity) valid() bool { return s == SevError || s == SevWarning || s == SevSuggestion }

// Suggestion is advice; with Replace set, the UI can put *Replace at Start..End in one click.
type Suggestion struct {
	Label   string  `json:"label"`
	Replace *string `json:"replace,omitempty"`
}

// Finding is one thing to coach, with byte offsets into the text exactly as given.
type Finding struct {
	Rule        string       `json:"rule"`
	Severity    Severity     `json:"severity"`
	Start       int          `json:"start"`
	End         int          `json:"end"`
	Text        string       `json:"text"`
	Message     string       `json:"message"`
	Suggestions []Suggestion `json:"suggestions"`
	Match       *Match       `json:"match,omitempty"`
	// Demoted marks an error-level rule the send gate shows as a warning: its measured precision
	// is below the admin's bar. The coach never sets it; the helpdesk does.
	Demoted bool `json:"demoted,omitempty"`
}

// Match says why a finding fired: the pattern, word or mechanism that matched, and the list
// entry of the pack it comes from ("rules.blame.patterns[3]", "questions.verbs").
type Match struct {
	Pattern string `json:"pattern"`
	Entry   string `json:"entry"`
}

// Signal is something the reply does well (credited in the score, never a finding).
type Signal struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Label string `json:"label"`
}

// Result is the coach's answer for one text.
type Result struct {
	Lang        string    `json:"lang"`
	Score       int       `json:"score"`
	Findings    []Finding `json:"findings"`
	Positives   []Signal  `json:"positives"`
	PackVersion string    `json:"pack_version,omitempty"`
}

// Options: Lang is da, nb, sv, en, or auto/"" to detect; NoAcknowledge is for proactive first messages.
// Locale is the agent's interface language (da, en …) for messages, labels and positives; the
// one-click rewrites stay in the reply's language. "" gives the messages in the reply's language.
type Options struct {
	Lang          string
	NoAcknowledge bool
	Locale        string
}

// builtinLangs are the languages with a built-in pack, default first.
// FragmentRules do not apply to a piece of a reply, such as a saved reply: the reply it goes into has its own greeting and length.
var FragmentRules = []string{"greeting", "short-reply"}

var builtinLangs = []string{"da", "nb", "sv", "en"}

// Languages lists the languages with a built-in pack, the default (da) first.
func Languages() []string { return append([]string(nil), builtinLangs...) }

// Rules lists every rule id in report order (ids are a public contract).
func Rules() []string { return append([]string(nil), ruleIDs...) }

// ValidLang reports whether s is accepted as Options.Lang ("" counts as auto).
func ValidLang(s string) bool {
	switch s {
	case "", "auto", "da", "nb", "sv", "en":
		return true
	}
	return false
}

// Coach holds compiled packs; build it once and share it.
type Coach struct {
	packs   map[string]*compiled
	order   []string
	locales []string
	abbr    abbrevSet
	detect  detector
	pool    sync.Pool
}

// New compiles packs (one per language; a later pack for the same language replaces an earlier one).
func New(packs ...*Pack) (*Coach, error) {
	if len(packs) == 0 {
		return nil, fmt.Errorf("coach: no packs")
	}
	c := &Coach{packs: map[string]*compiled{}, abbr: abbrevSet{plain: map[string]bool{}, terminal: map[string]bool{}, numeric: map[string]bool{}}}
	for _, p := range packs {
		if p == nil {
			return nil, fmt.Errorf("coach: nil pack")
		}
		cp, err := compilePack(p)
		if err != nil {
			return nil, err
		}
		if _, seen := c.packs[p.Lang]; !seen {
			c.order = append(c.order, p.Lang)
		}
		c.packs[p.Lang] = cp
	}
	for _, lang := range c.order {
		p := c.packs[lang].p
		for _, a := range p.Abbreviations {
			c.abbr.plain[string(lowerInto(nil, a))] = true
		}
		for _, a := range p.TerminalAbbreviations {
			c.abbr.terminal[string(lowerInto(nil, a))] = true
		}
		for _, a := range p.NumberAbbreviations {
			c.abbr.numeric[string(lowerInto(nil, a))] = true
		}
	}
	c.resolveLocales()
	c.detect = buildDetector(c)
	c.pool.New = func() any { return &doc{} }
	return c, nil
}

// RuleIDs lists the built-in rules in report order, then the admins' custom rules of every pack, sorted.
func (c *Coach) RuleIDs() []string {
	var custom []string
	for _, cp := range c.packs {
		for id, r := range cp.p.Rules {
			if r.custom() && !slices.Contains(custom, id) {
				custom = append(custom, id)
			}
		}
	}
	slices.Sort(custom)
	return append(Rules(), custom...)
}

// Langs returns the languages this coach has packs for.
func (c *Coach) Langs() []string { return append([]string(nil), c.order...) }

// PackVersion names the pack used for lang ("" if none).
func (c *Coach) PackVersion(lang string) string {
	if cp := c.packs[lang]; cp != nil {
		return cp.p.VersionString()
	}
	return ""
}

// DetectLanguage guesses da, nb, sv or en from stop words; short or empty text gives the default.
func (c *Coach) DetectLanguage(text string) string {
	d := c.pool.Get().(*doc)
	defer c.put(d)
	d.reset(text)
	d.toks = tokenize(text, &c.abbr, d.toks)
	d.foldAll()
	return c.detect.detect(d, c.order[0])
}

func (c *Coach) put(d *doc) {
	if cap(d.toks) > 1<<16 { // do not keep huge buffers alive after one giant input
		*d = doc{}
	}
	d.text = ""
	c.pool.Put(d)
}

// Lint coaches one reply. An empty or blank text has nothing to coach and scores 100.
func (c *Coach) Lint(text string, opt Options) Result {
	d := c.pool.Get().(*doc)
	defer c.put(d)
	d.reset(text)
	d.toks = tokenize(text, &c.abbr, d.toks)
	d.foldAll()
	lang := opt.Lang
	if c.packs[lang] == nil {
		lang = c.detect.detect(d, c.order[0])
	}
	cp := c.packs[lang]
	d.tx = cp.textsFor(opt.Locale)
	res := Result{Lang: lang, Findings: []Finding{}, Positives: []Signal{}, PackVersion: cp.p.VersionString()}
	if len(d.toks) == 0 {
		res.Score = 100
		return res
	}
	cp.m.annotate(d)
	cp.layout(d)
	cp.scanAll(d)
	cp.run(d, opt)
	slices.SortStableFunc(d.findings, func(a, b Finding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return ruleOrder(a.Rule) - ruleOrder(b.Rule)
	})
	res.Findings = append(res.Findings, d.findings...)
	if len(res.Findings) > 0 {
		ms := make([]Match, len(res.Findings))
		for i := range res.Findings {
			if m := res.Findings[i].Match; m != nil {
				ms[i] = *m
				res.Findings[i].Match = &ms[i]
			}
		}
	}
	res.Positives = append(res.Positives, d.signals...)
	res.Score = Score(res.Findings, res.Positives)
	return res
}

// resolveLocales gives every pack its text in every interface language: the packs' languages and
// any language an explanation is written in (da and en at least).
func (c *Coach) resolveLocales() {
	seen := map[string]bool{}
	add := func(l string) {
		if !seen[l] {
			seen[l] = true
			c.locales = append(c.locales, l)
		}
	}
	add("da")
	add("en")
	for _, lang := range c.order {
		add(lang)
		for l := range c.packs[lang].p.Explanations {
			add(l)
		}
	}
	own := map[string]*texts{}
	for _, lang := range c.order {
		own[lang] = ownTexts(c.packs[lang].p)
	}
	for _, lang := range c.order {
		cp := c.packs[lang]
		cp.tx = map[string]*texts{lang: own[lang]}
		for _, l := range c.locales {
			if l != lang {
				cp.tx[l] = resolveTexts(own[lang], cp.p.Explanations[l], own[l])
			}
		}
	}
}

func ruleOrder(id string) int {
	for i, r := range ruleIDs {
		if r == id {
			return i
		}
	}
	return len(ruleIDs)
}

var (
	defaultOnce  sync.Once
	defaultCoach *Coach
)

// Default returns the coach with the embedded packs, compiled once.
func Default() *Coach {
	defaultOnce.Do(func() {
		packs, err := DefaultPacks()
		if err == nil {
			defaultCoach, err = New(packs...)
		}
		if err != nil {
			panic("coach: embedded packs are broken: " + err.Error()) // caught by every test run
		}
	})
	return defaultCoach
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	for i, r := range s {
		u := strings.ToUpper(string(r))
		return u + s[i+len(string(r)):]
	}
	return s
}
