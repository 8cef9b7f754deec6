package coach

// RuleText is what a rule tells the agent. A pack carries it in its own language (the rule's
// message fields) and, under explanations, in other interface languages; the one-click rewrite
// always stays in the reply's language.
type RuleText struct {
	Message      string   `yaml:"message,omitempty"`
	Suggestion   string   `yaml:"suggestion,omitempty"`
	WarnMessage  string   `yaml:"warn_message,omitempty"`
	CapsMessage  string   `yaml:"caps_message,omitempty"`
	BangMessage  string   `yaml:"bang_message,omitempty"`
	CapsLabel    string   `yaml:"caps_label,omitempty"`
	RequestLabel string   `yaml:"request_label,omitempty"`
	Entries      []string `yaml:"entries,omitempty"` // weak-word: one label per entry, in entry order
}

// Explanation is a pack's text in one interface language.
type Explanation struct {
	Rules   map[string]*RuleText `yaml:"rules,omitempty"`
	Signals map[string]string    `yaml:"signals,omitempty"` // positive-signal labels by kind
}

// texts is the resolved text of one pack in one interface language.
type texts struct {
	rules   map[string]*RuleText
	signals map[string]string
}

// ownTexts is the pack's text in its own language.
func ownTexts(p *Pack) *texts {
	t := &texts{rules: map[string]*RuleText{}, signals: map[string]string{}}
	for id, r := range p.Rules {
		rt := &RuleText{Message: r.Message, Suggestion: r.Suggestion, WarnMessage: r.WarnMessage, CapsMessage: r.CapsMessage,
			BangMessage: r.BangMessage, CapsLabel: r.CapsLabel, RequestLabel: r.RequestLabel}
		for _, e := range r.Entries {
			rt.Entries = append(rt.Entries, e.Label)
		}
		t.rules[id] = rt
	}
	for kind, s := range p.Signals {
		t.signals[kind] = s.Label
	}
	return t
}

// resolveTexts builds the pack's text in locale: its own explanation for that locale first, then
// the pack of that language (its rules say the same in general words), then the pack's own text.
func resolveTexts(own *texts, ex Explanation, other *texts) *texts {
	t := &texts{rules: map[string]*RuleText{}, signals: map[string]string{}}
	pick := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	for id, o := range own.rules {
		e := ex.Rules[id]
		if e == nil {
			e = &RuleText{}
		}
		f := &RuleText{}
		if other != nil && other.rules[id] != nil {
			f = other.rules[id]
		}
		rt := &RuleText{
			Message:      pick(e.Message, f.Message, o.Message),
			Suggestion:   pick(e.Suggestion, f.Suggestion, o.Suggestion),
			WarnMessage:  pick(e.WarnMessage, f.WarnMessage, o.WarnMessage),
			CapsMessage:  pick(e.CapsMessage, f.CapsMessage, o.CapsMessage),
			BangMessage:  pick(e.BangMessage, f.BangMessage, o.BangMessage),
			CapsLabel:    pick(e.CapsLabel, f.CapsLabel, o.CapsLabel),
			RequestLabel: pick(e.RequestLabel, f.RequestLabel, o.RequestLabel),
		}
		for i, l := range o.Entries {
			if i < len(e.Entries) && e.Entries[i] != "" {
				l = e.Entries[i]
			}
			rt.Entries = append(rt.Entries, l)
		}
		t.rules[id] = rt
	}
	for kind, l := range own.signals {
		var f string
		if other != nil {
			f = other.signals[kind]
		}
		t.signals[kind] = pick(ex.Signals[kind], f, l)
	}
	return t
}

// textsFor is the pack's text for an interface locale; "" or an unknown locale is the reply's language.
func (c *compiled) textsFor(locale string) *texts {
	if t := c.tx[locale]; t != nil {
		return t
	}
	return c.tx[c.p.Lang]
}

// Locales lists the interface languages a finding's message can be given in (Options.Locale).
func (c *Coach) Locales() []string { return append([]string(nil), c.locales...) }
