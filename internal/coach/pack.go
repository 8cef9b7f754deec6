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
	Name    string `yaml:"name,omitempty"`
	Version string `yaml:"version,omitempty"`

	// Abbreviations never end a sentence; terminal ones may (kr., osv.); number ones only before digits (no. 5).
	Abbreviations         []string `yaml:"abbreviations,omitempty"`
	TerminalAbbreviations []string `yaml:"terminal_abbreviations,omitempty"`
	NumberAbbreviations   []string `yaml:"number_abbreviations,omitempty"`

	Detect     DetectConf            `yaml:"detect,omitempty"`
	Classes    map[string][]string   `yaml:"classes,omitempty"`
	Greetings  []string              `yaml:"greetings,omitempty"`
	SignOffs   []string              `yaml:"signoffs,omitempty"`
	Questions  QuestionConf          `yaml:"questions,omitempty"`
	Clauses    ClauseConf            `yaml:"clauses,omitempty"`
	Subjects   SubjectConf           `yaml:"subjects,omitempty"`
	Inflect    map[string]Paradigm   `yaml:"inflections,omitempty"`
	Imperative ImperativeConf        `yaml:"imperative,omitempty"`
	Signals    map[string]SignalConf `yaml:"signals,omitempty"`
	Rules      map[string]*RuleConf  `yaml:"rules,omitempty"`
	// Explanations: the rules' messages in other interface languages (en, da …)
	Explanations map[string]Explanation `yaml:"explanations,omitempty"`
	// Examples are each rule's tests (must fire / must not fire); Notes say why a list entry is there
	// (list key → entry → note); OurNames are the words that mean us (see edit.go)
	Examples map[string][]Example         `yaml:"examples,omitempty"`
	Notes    map[string]map[string]string `yaml:"notes,omitempty"`
	OurNames []string                     `yaml:"our_names,omitempty"`

	source string // file name for error messages
	sum    string // short hash of the bytes, part of PackVersion
}

// DetectConf: stop words vote for the language; markers are words only this language uses;
// suffixes are word endings typical of it (-ede, -sjon); AfterDefinite are possessives that
// follow a definite noun (Bokmål "kofferten din", where Danish says "din kuffert").
type DetectConf struct {
	Words         []string `yaml:"words,omitempty"`
	Markers       []string `yaml:"markers,omitempty"`
	Chars         string   `yaml:"chars,omitempty"`
	Suffixes      []string `yaml:"suffixes,omitempty"`
	AfterDefinite []string `yaml:"after_definite,omitempty"`
}

// QuestionConf describes question shape: yes/no questions open with a finite verb.
type QuestionConf struct {
	Open          []string `yaml:"open,omitempty"`           // hv-words
	Verbs         []string `yaml:"verbs,omitempty"`          // finite verbs that open a yes/no question
	VerbSuffixes  []string `yaml:"verb_suffixes,omitempty"`  // endings of finite verbs (passer, virker)
	NotVerbs      []string `yaml:"not_verbs,omitempty"`      // words with those endings that are no verbs
	Skip          []string `yaml:"skip,omitempty"`           // leading conjunctions/interjections to look past
	Subordinators []string `yaml:"subordinators,omitempty"`  // "Hvis …, kan du …?": look after the comma
	RequestVerbs  []string `yaml:"request_verbs,omitempty"`  // "Kan du sende …?" → imperative
	You           []string `yaml:"you,omitempty"`            // second person subject in a request
	RequestSkip   []string `yaml:"request_skip,omitempty"`   // fillers dropped from the rewrite (gerne, please)
	RequestNot    []string `yaml:"request_not,omitempty"`    // infinitives that make no imperative (like, be)
	RequestPrefix string   `yaml:"request_prefix,omitempty"` // "Please " in English
	Tags          []string `yaml:"tags,omitempty"`           // "…, ikke?" / "…, right?": a statement turned yes/no question
	Answers       []string `yaml:"answers,omitempty"`        // "Ja."/"Yes." opening the next sentence: the writer answers the question (an FAQ heading)
}

// ClauseConf says what makes a clause a condition: a conjunction (hvis, om, if, in case), or a
// verb first followed by the main clause ("Virker det ikke, sender jeg …"). A condition with a
// pluperfect (havde, had) is counterfactual: "Hvis du havde læst …" still blames.
type ClauseConf struct {
	Conditions     []string `yaml:"conditions,omitempty"`      // conditional conjunctions (phrases allowed)
	Counterfactual []string `yaml:"counterfactual,omitempty"`  // pluperfect auxiliaries: havde, had, you'd
	ConditionVerbs []string `yaml:"condition_verbs,omitempty"` // verbs that open a verb-first condition; empty = any finite verb
	Then           []string `yaml:"then,omitempty"`            // words that open the main clause after a condition (så, then)
}

// SubjectConf tells who does what in a clause: the writer (jeg, vi), the customer (du, you) or a
// third party (chaufføren, the driver). Weak verbs are only the writer's hedge.
type SubjectConf struct {
	Writer           []string `yaml:"writer,omitempty"`
	Customer         []string `yaml:"customer,omitempty"`
	Third            []string `yaml:"third,omitempty"`             // third-person pronouns
	Modal            []string `yaml:"modal,omitempty"`             // "du kan prøve" is the writer's suggestion
	Aux              []string `yaml:"aux,omitempty"`               // auxiliaries looked past: har, er, have, are
	Skip             []string `yaml:"skip,omitempty"`              // adverbs looked past: allerede, også, already
	InfinitiveMarks  []string `yaml:"infinitive_marks,omitempty"`  // at, å, att, to: "at prøve" is general advice
	Articles         []string `yaml:"articles,omitempty"`          // the, a, your: the next word is a noun
	DefiniteSuffixes []string `yaml:"definite_suffixes,omitempty"` // -en, -et: "chaufføren" is a third party
	Perfect          []string `yaml:"perfect,omitempty"`           // har, have: "du har prøvet" reports an attempt
	PastSuffixes     []string `yaml:"past_suffixes,omitempty"`     // -ede, -ed: "du prøvede" reports an attempt
	Complementizers  []string `yaml:"complementizers,omitempty"`   // at, that: "…, at du prøver at …" reports
	OurPossessives   []string `yaml:"our_possessives,omitempty"`   // vores, our: "vores chauffør" acts for the writer
}

// Paradigm generates the inflections of a lemma: strip a suffix, then add each ending.
// A word written "prøve/verb" in a word list stands for all forms of its paradigm.
type Paradigm struct {
	Strip string   `yaml:"strip,omitempty"`
	Add   []string `yaml:"add,omitempty"`
}

// ImperativeConf turns an infinitive into the imperative: trykke → tryk.
type ImperativeConf struct {
	StripSuffix string            `yaml:"strip_suffix,omitempty"`
	Undouble    bool              `yaml:"undouble,omitempty"`
	MinLen      int               `yaml:"min_len,omitempty"`
	Irregular   map[string]string `yaml:"irregular,omitempty"`
}

// SignalConf lists the patterns of one positive signal kind.
type SignalConf struct {
	Label    string    `yaml:"label,omitempty"`
	Patterns []Pattern `yaml:"patterns,omitempty"`
}

// RuleConf is one rule's settings; rule-specific fields are ignored by rules that do not use them.
type RuleConf struct {
	// Custom marks an admin's own rule: a phrase rule over its patterns with an id of its own
	Custom     bool      `yaml:"custom,omitempty"`
	Enabled    *bool     `yaml:"enabled,omitempty"`
	Severity   Severity  `yaml:"severity,omitempty"`
	Message    string    `yaml:"message,omitempty"`
	Suggestion string    `yaml:"suggestion,omitempty"`
	Patterns   []Pattern `yaml:"patterns,omitempty"`
	Exceptions []Pattern `yaml:"exceptions,omitempty"`

	Threshold int      `yaml:"threshold,omitempty"` // short-reply: words; escalation: caps words
	Window    int      `yaml:"window,omitempty"`    // acknowledge: sentences after the greeting
	Acronyms  []string `yaml:"acronyms,omitempty"`  // escalation: caps words that are not shouting
	// escalation: ordinary words that shout on their own in capitals (IKKE, ALDRIG, NEVER)
	ShoutWords []string `yaml:"shout_words,omitempty"`
	Words      []string `yaml:"words,omitempty"` // no-but: the "but" words; greeting unused

	// no-but
	WarnMessage string `yaml:"warn_message,omitempty"`
	// weak-word
	Entries        []WeakEntry `yaml:"entries,omitempty"`
	TriedQuestion  []string    `yaml:"tried_question,omitempty"` // open-question words that ask what was tried
	TryConnectors  []string    `yaml:"try_connectors,omitempty"` // prøv at/å/att/to
	TryImperatives []string    `yaml:"try_imperatives,omitempty"`
	TryInfinitives []string    `yaml:"try_infinitives,omitempty"` // "kan prøve at genstarte" → "kan genstarte"
	RemoveInitial  bool        `yaml:"remove_initial,omitempty"`  // offer "Perhaps you …" → "You …" (not in V2 languages)
	// escalation
	CapsMessage  string `yaml:"caps_message,omitempty"`
	BangMessage  string `yaml:"bang_message,omitempty"`
	CapsLabel    string `yaml:"caps_label,omitempty"`
	RequestLabel string `yaml:"request_label,omitempty"` // closed-question: the one-click rewrite
	Insert       string `yaml:"insert,omitempty"`        // greeting: text inserted by the suggestion
}

// WeakEntry is a group of weak words sharing one suggestion.
type WeakEntry struct {
	Words   []string `yaml:"words,omitempty"`
	Label   string   `yaml:"label,omitempty"`
	Action  string   `yaml:"action,omitempty"` // remove | replace | try | advice
	Replace string   `yaml:"replace,omitempty"`
	Tried   bool     `yaml:"tried,omitempty"` // allowed in an open question about what the customer tried
	// Verb: a weak verb (prøve, tro, try) is only weak as the writer's own hedge, not the
	// customer's attempt or belief ("du har allerede prøvet") or a third party's ("chaufføren prøver")
	Verb bool `yaml:"verb,omitempty"`
	// Except lists generated forms that are other words
	Except []string `yaml:"except,omitempty"`
}

// Pattern is a phrase pattern; a plain string in YAML, or a mapping with a message override.
type Pattern struct {
	Text    string `yaml:"pattern,omitempty"`
	Message string `yaml:"message,omitempty"`
	Label   string `yaml:"label,omitempty"`
	// NotQuestion drops hits in a question ("Har du glemt din kode?" is a helpful question)
	NotQuestion bool `yaml:"not_question,omitempty"`
	// NotInitial drops hits on a sentence's first word ("Har du glemt din kode, så …" is a condition)
	NotInitial bool `yaml:"not_initial,omitempty"`
	// Initial keeps only hits on a sentence's first word (mostly for exceptions)
	Initial bool `yaml:"initial,omitempty"`
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
		if known[id] == r.custom() {
			if r.custom() {
				return p.errf("rules."+id, "a custom rule cannot take a built-in rule's id")
			}
			return p.errf("rules."+id, "unknown rule id (known: %s)", strings.Join(ruleIDs, ", "))
		}
		if r.custom() && !validCustomID(id) {
			return p.errf("rules."+id, "a custom rule id is 2-40 lower-case letters, digits and dashes")
		}
		if r == nil {
			return p.errf("rules."+id, "empty rule")
		}
		if r.Severity == "" {
			r.Severity = defaultSeverity[id]
			if r.custom() {
				r.Severity = SevWarning
			}
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
			if !known[id] && !p.Rules[id].custom() {
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

func (r *RuleConf) custom() bool { return r != nil && r.Custom }

func (r *RuleConf) enabled() bool { return r != nil && (r.Enabled == nil || *r.Enabled) }
