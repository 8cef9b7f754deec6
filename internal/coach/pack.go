package coach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Pack is one language's rule data: every word, phrase, message and setting the rules use.
type Pack struct {
	Lang    string `yaml:"lang"`
	Name    string `yaml:"name"`
	Version string `yaml:"version"`

	// Abbreviations never end a sentence; terminal ones may (kr., osv.); number ones only before digits (no. 5).
	Abbreviations         []string `yaml:"abbreviations"`
	TerminalAbbreviations []string `yaml:"terminal_abbreviations"`
	NumberAbbreviations   []string `yaml:"number_abbreviations"`

	Detect     DetectConf            `yaml:"detect"`
	Classes    map[string][]string   `yaml:"classes"`
	Greetings  []string              `yaml:"greetings"`
	SignOffs   []string              `yaml:"signoffs"`
	Questions  QuestionConf          `yaml:"questions"`
	Clauses    ClauseConf            `yaml:"clauses"`
	Subjects   SubjectConf           `yaml:"subjects"`
	Inflect    map[string]Paradigm   `yaml:"inflections"`
	Imperative ImperativeConf        `yaml:"imperative"`
	Signals    map[string]SignalConf `yaml:"signals"`
	Rules      map[string]*RuleConf  `yaml:"rules"`
	// Explanations: the rules' messages in other interface languages (en, da …)
	Explanations map[string]Explanation `yaml:"explanations"`

	source string // file name for error messages
	sum    string // short hash of the bytes, part of PackVersion
}

// DetectConf: stop words vote for the language; markers are words only this language uses;
// suffixes are word endings typical of it (-ede, -sjon); AfterDefinite are possessives that
// follow a definite noun (Bokmål "kofferten din", where Danish says "din kuffert").
type DetectConf struct {
	Words         []string `yaml:"words"`
	Markers       []string `yaml:"markers"`
	Chars         string   `yaml:"chars"`
	Suffixes      []string `yaml:"suffixes"`
	AfterDefinite []string `yaml:"after_definite"`
}

// QuestionConf describes question shape: yes/no questions open with a finite verb.
type QuestionConf struct {
	Open          []string `yaml:"open"`           // hv-words
	Verbs         []string `yaml:"verbs"`          // finite verbs that open a yes/no question
	VerbSuffixes  []string `yaml:"verb_suffixes"`  // endings of finite verbs (passer, virker)
	NotVerbs      []string `yaml:"not_verbs"`      // words with those endings that are no verbs
	Skip          []string `yaml:"skip"`           // leading conjunctions/interjections to look past
	Subordinators []string `yaml:"subordinators"`  // "Hvis …, kan du …?": look after the comma
	RequestVerbs  []string `yaml:"request_verbs"`  // "Kan du sende …?" → imperative
	You           []string `yaml:"you"`            // second person subject in a request
	RequestSkip   []string `yaml:"request_skip"`   // fillers dropped from the rewrite (gerne, please)
	RequestNot    []string `yaml:"request_not"`    // infinitives that make no imperative (like, be)
	RequestPrefix string   `yaml:"request_prefix"` // "Please " in English
	Tags          []string `yaml:"tags"`           // "…, ikke?" / "…, right?": a statement turned yes/no question
}

// ClauseConf says what makes a clause a condition: a conjunction (hvis, om, if, in case), or a
// verb first followed by the main clause ("Virker det ikke, sender jeg …"). A condition with a
// pluperfect (havde, had) is counterfactual: "Hvis du havde læst …" still blames.
type ClauseConf struct {
	Conditions     []string `yaml:"conditions"`      // conditional conjunctions (phrases allowed)
	Counterfactual []string `yaml:"counterfactual"`  // pluperfect auxiliaries: havde, had, you'd
	ConditionVerbs []string `yaml:"condition_verbs"` // verbs that open a verb-first condition; empty = any finite verb
	Then           []string `yaml:"then"`            // words that open the main clause after a condition (så, then)
}

// SubjectConf tells who does what in a clause: the writer (jeg, vi), the customer (du, you) or a
// third party (chaufføren, the driver). Weak verbs are only the writer's hedge.
type SubjectConf struct {
	Writer           []string `yaml:"writer"`
	Customer         []string `yaml:"customer"`
	Third            []string `yaml:"third"`             // third-person pronouns
	Modal            []string `yaml:"modal"`             // "du kan prøve" is the writer's suggestion
	Aux              []string `yaml:"aux"`               // auxiliaries looked past: har, er, have, are
	Skip             []string `yaml:"skip"`              // adverbs looked past: allerede, også, already
	InfinitiveMarks  []string `yaml:"infinitive_marks"`  // at, å, att, to: "at prøve" is general advice
	Articles         []string `yaml:"articles"`          // the, a, your: the next word is a noun
	DefiniteSuffixes []string `yaml:"definite_suffixes"` // -en, -et: "chaufføren" is a third party
	Perfect          []string `yaml:"perfect"`           // har, have: "du har prøvet" reports an attempt
	PastSuffixes     []string `yaml:"past_suffixes"`     // -ede, -ed: "du prøvede" reports an attempt
	Complementizers  []string `yaml:"complementizers"`   // at, that: "…, at du prøver at …" reports
	OurPossessives   []string `yaml:"our_possessives"`   // vores, our: "vores chauffør" acts for the writer
}

// Paradigm generates the inflections of a lemma: strip a suffix, then add each ending.
// A word written "prøve/verb" in a word list stands for all forms of its paradigm.
type Paradigm struct {
	Strip string   `yaml:"strip"`
	Add   []string `yaml:"add"`
}

// ImperativeConf turns an infinitive into the imperative: trykke → tryk.
type ImperativeConf struct {
	StripSuffix string            `yaml:"strip_suffix"`
	Undouble    bool              `yaml:"undouble"`
	MinLen      int               `yaml:"min_len"`
	Irregular   map[string]string `yaml:"irregular"`
}

// SignalConf lists the patterns of one positive signal kind.
type SignalConf struct {
	Label    string    `yaml:"label"`
	Patterns []Pattern `yaml:"patterns"`
}

// RuleConf is one rule's settings; rule-specific fields are ignored by rules that do not use them.
type RuleConf struct {
	Enabled    *bool     `yaml:"enabled"`
	Severity   Severity  `yaml:"severity"`
	Message    string    `yaml:"message"`
	Suggestion string    `yaml:"suggestion"`
	Patterns   []Pattern `yaml:"patterns"`
	Exceptions []Pattern `yaml:"exceptions"`

	Threshold int      `yaml:"threshold"` // short-reply: words; escalation: caps words
	Window    int      `yaml:"window"`    // acknowledge: sentences after the greeting
	Acronyms  []string `yaml:"acronyms"`  // escalation: caps words that are not shouting
	// escalation: ordinary words that shout on their own in capitals (IKKE, ALDRIG, NEVER)
	ShoutWords []string `yaml:"shout_words"`
	Words      []string `yaml:"words"` // no-but: the "but" words; greeting unused

	// no-but
	WarnMessage string `yaml:"warn_message"`
	// weak-word
	Entries        []WeakEntry `yaml:"entries"`
	TriedQuestion  []string    `yaml:"tried_question"` // open-question words that ask what was tried
	TryConnectors  []string    `yaml:"try_connectors"` // prøv at/å/att/to
	TryImperatives []string    `yaml:"try_imperatives"`
	TryInfinitives []string    `yaml:"try_infinitives"` // "kan prøve at genstarte" → "kan genstarte"
	RemoveInitial  bool        `yaml:"remove_initial"`  // offer "Perhaps you …" → "You …" (not in V2 languages)
	// escalation
	CapsMessage  string `yaml:"caps_message"`
	BangMessage  string `yaml:"bang_message"`
	CapsLabel    string `yaml:"caps_label"`
	RequestLabel string `yaml:"request_label"` // closed-question: the one-click rewrite
	Insert       string `yaml:"insert"`        // greeting: text inserted by the suggestion
}

// WeakEntry is a group of weak words sharing one suggestion.
type WeakEntry struct {
	Words   []string `yaml:"words"`
	Label   string   `yaml:"label"`
	Action  string   `yaml:"action"` // remove | replace | try | advice
	Replace string   `yaml:"replace"`
	Tried   bool     `yaml:"tried"` // allowed in an open question about what the customer tried
	// Verb: a weak verb (prøve, tro, try) is only weak as the writer's own hedge, not the
	// customer's attempt or belief ("du har allerede prøvet") or a third party's ("chaufføren prøver")
	Verb bool `yaml:"verb"`
	// Except lists generated forms that are other words
	Except []string `yaml:"except"`
}

// Pattern is a phrase pattern; a plain string in YAML, or a mapping with a message override.
type Pattern struct {
	Text    string `yaml:"pattern"`
	Message string `yaml:"message"`
	Label   string `yaml:"label"`
	// NotQuestion drops hits in a question ("Har du glemt din kode?" is a helpful question)
	NotQuestion bool `yaml:"not_question"`
	// NotInitial drops hits on a sentence's first word ("Har du glemt din kode, så …" is a condition)
	NotInitial bool `yaml:"not_initial"`
	// Initial keeps only hits on a sentence's first word (mostly for exceptions)
	Initial bool `yaml:"initial"`
	line    int
}

// UnmarshalYAML accepts "du har glemt" or {pattern: …, message: …}.
func (p *Pattern) UnmarshalYAML(n *yaml.Node) error {
	p.line = n.Line
	if n.Kind == yaml.ScalarNode {
		p.Text = n.Value
		return nil
	}
	type plain Pattern
	var q plain
	if err := n.Decode(&q); err != nil {
		return err
	}
	*p = Pattern(q)
	p.line = n.Line
	return nil
}

// Rule ids are a public contract; do not rename.
const (
	RuleAcknowledge    = "acknowledge"
	RuleFalseAgreement = "false-agreement"
	RuleNoBut          = "no-but"
	RuleClosedQuestion = "closed-question"
	RuleWeakWord       = "weak-word"
	RuleBlame          = "blame"
	RuleRedirect       = "redirect"
	RuleAssumption     = "assumption"
	RuleEscalation     = "escalation"
	RuleShortReply     = "short-reply"
	RuleGreeting       = "greeting"
)

// ruleIDs lists every rule in report order (read-only; Rules returns a copy).
var ruleIDs = []string{RuleAcknowledge, RuleFalseAgreement, RuleNoBut, RuleClosedQuestion, RuleWeakWord,
	RuleBlame, RuleRedirect, RuleAssumption, RuleEscalation, RuleShortReply, RuleGreeting}

var defaultSeverity = map[string]Severity{
	RuleAcknowledge: SevWarning, RuleFalseAgreement: SevWarning, RuleNoBut: SevError, RuleClosedQuestion: SevWarning,
	RuleWeakWord: SevWarning, RuleBlame: SevError, RuleRedirect: SevWarning, RuleAssumption: SevWarning,
	RuleEscalation: SevWarning, RuleShortReply: SevWarning, RuleGreeting: SevSuggestion,
}

// Signal kinds (positive signals).
const (
	SignalAcknowledgment = "acknowledgment"
	SignalOpenQuestion   = "open-question"
	SignalStrongWord     = "strong-word"
	SignalSummary        = "summary"
)

// ParsePack reads a pack from YAML bytes; name (usually the file name) is used in every error.
func ParsePack(name string, data []byte) (*Pack, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Pack
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("pack %s: %w", name, err)
	}
	p.source = name
	h := sha256.Sum256(data)
	p.sum = hex.EncodeToString(h[:4])
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// VersionString identifies the pack that produced stored findings.
func (p *Pack) VersionString() string {
	v := p.Version
	if v == "" {
		v = "0"
	}
	return p.Lang + "-" + v + "+" + p.sum
}

func (p *Pack) errf(field string, format string, args ...any) error {
	return fmt.Errorf("pack %s: %s: %s", p.source, field, fmt.Sprintf(format, args...))
}

// validate checks everything that does not need compiling; compile checks the patterns.
func (p *Pack) validate() error {
	if !ValidLang(p.Lang) || p.Lang == "auto" {
		return p.errf("lang", "must be one of da, nb, sv, en (got %q)", p.Lang)
	}
	known := map[string]bool{}
	for _, id := range ruleIDs {
		known[id] = true
	}
	ids := make([]string, 0, len(p.Rules))
	for id := range p.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := p.Rules[id]
		if !known[id] {
			return p.errf("rules."+id, "unknown rule id (known: %s)", strings.Join(ruleIDs, ", "))
		}
		if r == nil {
			return p.errf("rules."+id, "empty rule")
		}
		if r.Severity == "" {
			r.Severity = defaultSeverity[id]
		}
		if !r.Severity.valid() {
			return p.errf("rules."+id+".severity", "must be error, warning or suggestion (got %q)", r.Severity)
		}
		if r.Threshold < 0 {
			return p.errf("rules."+id+".threshold", "must not be negative")
		}
		if r.Window < 0 {
			return p.errf("rules."+id+".window", "must not be negative")
		}
		if r.enabled() && r.Message == "" && id != RuleWeakWord {
			return p.errf("rules."+id+".message", "missing")
		}
		for i, e := range r.Entries {
			f := fmt.Sprintf("rules.%s.entries[%d]", id, i)
			if len(e.Words) == 0 {
				return p.errf(f+".words", "empty")
			}
			switch e.Action {
			case "", "advice", "remove", "replace", "try":
			default:
				return p.errf(f+".action", "must be remove, replace, try or advice (got %q)", e.Action)
			}
			if e.Label == "" {
				return p.errf(f+".label", "missing")
			}
		}
	}
	for _, id := range ruleIDs {
		if _, ok := p.Rules[id]; !ok {
			return p.errf("rules."+id, "missing (every rule needs its messages in every pack)")
		}
	}
	for name, words := range p.Classes {
		if len(words) == 0 {
			return p.errf("classes."+name, "empty class")
		}
		for i, w := range words {
			if strings.TrimSpace(w) == "" {
				return p.errf(fmt.Sprintf("classes.%s[%d]", name, i), "empty word")
			}
		}
	}
	for field, list := range map[string][]string{"greetings": p.Greetings, "signoffs": p.SignOffs, "questions.tags": p.Questions.Tags,
		"questions.open": p.Questions.Open, "questions.verbs": p.Questions.Verbs} {
		for i, w := range list {
			if strings.TrimSpace(w) == "" {
				return p.errf(fmt.Sprintf("%s[%d]", field, i), "empty entry")
			}
		}
	}
	for loc, ex := range p.Explanations {
		if !ValidLang(loc) || loc == "" || loc == "auto" {
			return p.errf("explanations."+loc, "unknown interface language (use da, nb, sv or en)")
		}
		for id, rt := range ex.Rules {
			if !known[id] {
				return p.errf("explanations."+loc+".rules."+id, "unknown rule id")
			}
			if rt != nil && len(rt.Entries) > len(p.Rules[id].Entries) {
				return p.errf("explanations."+loc+".rules."+id+".entries", "%d labels for %d entries", len(rt.Entries), len(p.Rules[id].Entries))
			}
		}
	}
	for kind := range p.Signals {
		switch kind {
		case SignalAcknowledgment, SignalOpenQuestion, SignalStrongWord, SignalSummary:
		default:
			return p.errf("signals."+kind, "unknown signal kind")
		}
	}
	return nil
}

func (r *RuleConf) enabled() bool { return r != nil && (r.Enabled == nil || *r.Enabled) }
