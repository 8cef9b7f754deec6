package coach

// reported: the hit follows the writer's summary of the customer's own account in the same
// sentence ("Du skriver, at du har glemt koden"): the customer said it, the writer does not blame.
func (c *compiled) reported(d *doc, si int, start int32) bool {
	e := d.sents[si].summaryEnd
	return e >= 0 && e < start
}

// firstSummaryEnd is where the earliest-ending summary signal of the sentence ends, -1 if none.
func (c *compiled) firstSummaryEnd(d *doc, s sentence) int32 {
	end := int32(-1)
	for i := s.mlo; i < s.mhi; i++ {
		m := d.matches[i]
		if pi := &c.m.pats[m.pat]; pi.signal && pi.rule == SignalSummary && (end < 0 || m.e < end) {
			end = m.e
		}
	}
	return end
}

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
		if id == RuleBlame && (d.inNeutralCondition(int(mt.s)) || c.reported(d, int(d.msent[i]), mt.s)) {
			continue
		}
		// "Hvornår sker det oftest?": a frequency or cause asked about after an hv-word is the
		// writer listening, not presuming what the problem is
		if id == RuleAssumption && c.insideOpenQuestion(d, int(d.msent[i]), int(mt.s)) {
			continue
		}
		// "Skriv til support@firma.dk": an address right after the contact verb is our own inbox
		if id == RuleRedirect && d.addressFollows(int(mt.e)) {
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

// addressFollows: the next token after k is an e-mail address or a link.
func (d *doc) addressFollows(k int) bool {
	n := d.nextWord(k, len(d.toks))
	return n >= 0 && (d.toks[n].kind == tkEmail || d.toks[n].kind == tkURL)
}

// insideOpenQuestion reports whether token k sits in a question sentence after one of its
// hv-words ("At what time does it usually happen?"): the words around k are being asked.
func (c *compiled) insideOpenQuestion(d *doc, si, k int) bool {
	s := d.sents[si]
	if !s.question {
		return false
	}
	for j := s.a; j < k && j < s.b; j++ {
		if d.toks[j].kind == tkWord && d.is(j, c.openQ) {
			return true
		}
	}
	return false
}
