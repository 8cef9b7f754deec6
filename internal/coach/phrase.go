package coach

// checkPhrases reports the pattern hits of a phrase rule (false-agreement, blame, redirect,
// assumption); overlapping hits of one rule are reported once, the earliest and longest.
func (c *compiled) checkPhrases(d *doc, id string) {
	r := c.rules[id]
	if !r.enabled() {
		return
	}
	best := -1
	flush := func() {
		if best < 0 {
			return
		}
		mt := d.matches[best]
		pi := c.m.pats[mt.pat]
		t := d.tx.rules[id]
		msg, label := t.Message, t.Suggestion
		if pi.message != "" {
			msg = pi.message
		}
		if pi.label != "" {
			label = pi.label
		}
		c.add(d, id, r.Severity, int(d.toks[mt.s].start), int(d.toks[mt.e].end), msg, Match{Pattern: pi.src, Entry: pi.where}, advice(label))
		best = -1
	}
	for i, mt := range d.matches {
		pi := c.m.pats[mt.pat]
		if d.dead[i] || pi.exception || pi.signal || pi.rule != id || (pi.notQ && d.sents[d.msent[i]].question) {
			continue
		}
		// a neutral condition describes a case, it does not say the customer did it
		if id == RuleBlame && d.inNeutralCondition(int(mt.s)) {
			continue
		}
		if best >= 0 {
			b := d.matches[best]
			if d.msent[best] == d.msent[i] && mt.s <= b.e {
				if mt.e > b.e && mt.s == b.s {
					best = i
				}
				continue
			}
			flush()
		}
		best = i
	}
	flush()
}
