package coach

// checkGreeting: the first line should greet the customer; the suggestion puts a greeting above it.
func (c *compiled) checkGreeting(d *doc) {
	r := c.rules[RuleGreeting]
	if !r.enabled() || d.greeting {
		return
	}
	a := 0
	b := a
	for b+1 < len(d.toks) && d.toks[b+1].nl == 0 {
		b++
	}
	st, en := int(d.toks[a].start), int(d.toks[b].end)
	t := d.tx.rules[RuleGreeting]
	sugg := advice(t.Suggestion)
	if r.Insert != "" {
		sugg = replaceWith(t.Suggestion, r.Insert+d.text[st:en])
	}
	c.add(d, RuleGreeting, r.Severity, st, en, t.Message, Match{Pattern: "first line opens with no greeting", Entry: "greetings"}, sugg)
}

// collectSignals credits strong words, imperatives and summaries of what the customer said.
func (c *compiled) collectSignals(d *doc) {
	for i, mt := range d.matches {
		pi := c.m.pats[mt.pat]
		if !pi.signal || d.dead[i] {
			continue
		}
		c.signal(d, pi.rule, int(d.toks[mt.s].start), int(d.toks[mt.e].end), pi.label)
	}
}
