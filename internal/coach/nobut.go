package coach

// checkNoBut: a sentence that opens with "men/but/however" starts a fight (error); a ", men"
// after an acknowledgment in the same sentence takes the acknowledgment back (one level milder).
func (c *compiled) checkNoBut(d *doc) {
	r := c.rules[RuleNoBut]
	if !r.enabled() {
		return
	}
	t := d.tx.rules[RuleNoBut]
	for si := d.bodySent; si < d.endSent; si++ {
		s := d.sents[si]
		fw := s.fw
		if fw < 0 || d.toks[fw].flags&flQuoted != 0 {
			continue // a quoted sentence is the customer's, not the agent's
		}
		if d.is(fw, c.butWords) && !c.excepted(d, RuleNoBut, si, fw) {
			// the suggestion is the sentence without its opening word, capitalised
			n := d.nextWord(fw, s.b)
			st := int(d.toks[fw].start)
			m := Match{Pattern: "sentence opens with '" + d.word(fw) + "'", Entry: "rules.no-but.words"}
			if n < 0 {
				c.add(d, RuleNoBut, r.Severity, st, int(d.toks[fw].end), t.Message, m, advice(t.Suggestion))
			} else {
				rest := capitalize(d.text[d.toks[n].start:s.end])
				c.add(d, RuleNoBut, r.Severity, st, s.end, t.Message, m, replaceWith(t.Suggestion, rest))
			}
		}
		// one pass over the sentence's hits: where the first acknowledgment ends, any exceptions
		minAck, hasExc := s.b, false
		for i := s.mlo; i < s.mhi; i++ {
			pi := c.m.pats[d.matches[i].pat]
			switch {
			case pi.exception && pi.rule == RuleNoBut:
				hasExc = true
			case !pi.exception && !d.dead[i] && pi.rule == RuleAcknowledge && !(pi.notQ && s.question):
				minAck = min(minAck, int(d.matches[i].e))
			}
		}
		for k := fw + 1; k < s.b && minAck < s.b; k++ {
			p := k - 1
			// the clause layout says where a clause opens; only one opened by a comma or dash counts
			if cl := d.clauseAt(k); cl == nil || cl.fw != k || d.toks[k].flags&flQuoted != 0 || d.toks[p].kind != tkPunct || !isClauseMark(d.raw(p)) || !d.is(k, c.butWords) {
				continue
			}
			if minAck >= k || (hasExc && c.excepted(d, RuleNoBut, si, k)) {
				continue
			}
			msg := t.WarnMessage
			if msg == "" {
				msg = t.Message
			}
			m := Match{Pattern: "'" + d.raw(p) + " " + d.word(k) + "' after an acknowledgment", Entry: "rules.no-but.words"}
			n := d.nextWord(k, s.b)
			if n < 0 {
				c.add(d, RuleNoBut, milder(r.Severity), int(d.toks[k].start), int(d.toks[k].end), msg, m, advice(t.Suggestion))
				continue
			}
			// ", men vi" → ". Vi": a full stop is the pause the guidance asks for
			st, en := int(d.toks[p].start), int(d.toks[n].end)
			c.add(d, RuleNoBut, milder(r.Severity), st, en, msg, m, replaceWith(t.Suggestion, ". "+capitalize(d.raw(n))))
		}
	}
}

func isClauseMark(s string) bool { return s == "," || s == ";" || s == "–" || s == "—" || s == "-" }

func milder(s Severity) Severity {
	switch s {
	case SevError:
		return SevWarning
	default:
		return SevSuggestion
	}
}
