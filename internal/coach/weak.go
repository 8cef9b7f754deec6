package coach

import "strings"

// checkWeak flags the pack's weak words (exactly the listed words and their inflections), with a
// rewrite toward the strong form where it is mechanical: "prøv at trykke" → "tryk", "måske" → "".
func (c *compiled) checkWeak(d *doc) {
	r := c.rules[RuleWeakWord]
	if !r.enabled() {
		return
	}
	t := d.tx.rules[RuleWeakWord]
	lastEnd := int32(-1)
	triedSent, tried := -1, false // asksWhatWasTried, cached per sentence
	for i, mt := range d.matches {
		pi := c.m.pats[mt.pat]
		if d.dead[i] || pi.exception || pi.signal || pi.rule != RuleWeakWord || mt.s <= lastEnd {
			continue
		}
		e := c.weak[pi.entry]
		si := int(d.msent[i])
		s := d.sents[si]
		if e.Tried {
			if triedSent != si {
				triedSent, tried = si, c.asksWhatWasTried(d, s)
			}
			if tried {
				continue
			}
		}
		if e.Verb {
			switch c.speakerOf(d, int(mt.s), s.question) {
			case spCustomer, spThird:
				continue // the customer's attempt or belief, or a third party's action
			case spCustomerThen:
				// "hvis du prøver igen" is the writer's suggestion; "hvis du tror" is the customer's belief
				if !e.Tried || c.reportedClause(d, si, int(mt.s)) {
					continue
				}
			}
		}
		lastEnd = mt.e
		st, en := int(d.toks[mt.s].start), int(d.toks[mt.e].end)
		text := d.text[st:en]
		msg := strings.ReplaceAll(t.Message, "{text}", text)
		label := e.Label
		if pi.entry < len(t.Entries) {
			label = t.Entries[pi.entry]
		}
		label = strings.ReplaceAll(label, "{text}", text)
		var sugg Suggestion
		switch e.Action {
		case "remove":
			if int(mt.s) == s.fw {
				if !r.RemoveInitial {
					// da/nb/sv put the verb second: dropping the opening word would leave a question
					sugg = advice(label)
					break
				}
				// at the start of a sentence the next word takes the capital
				if _, b, repl, ok := d.dropLeading(int(mt.e), s.b); ok {
					en = b
					text = d.text[st:en]
					sugg = replaceWith(label, repl)
					break
				}
			}
			sugg = replaceWith(label, "")
		case "replace":
			sugg = replaceWith(label, matchCase(text, e.Replace))
		case "try":
			// without a mechanical rewrite the rule's general advice replaces the '{fix}' label
			sugg = advice(t.Suggestion)
			imp, inf := d.is(int(mt.s), c.tryImp), d.is(int(mt.s), c.tryInf)
			// past forms ("prøvede at", "tried to") have no mechanical rewrite: advice only
			if conn := d.nextWord(int(mt.e), s.b); (imp || inf) && conn >= 0 && conn == int(mt.e)+1 && d.is(conn, c.tryConn) {
				if v := d.nextWord(conn, s.b); v == conn+1 && d.toks[v].kind == tkWord && d.toks[v].flags&flUpper == 0 {
					fix := d.raw(v)
					if imp {
						fix = c.imperative(fix)
					}
					en = int(d.toks[v].end)
					text = d.text[st:en]
					sugg = replaceWith(label, matchCase(text, fix))
				}
			}
		default:
			sugg = advice(label)
		}
		d.findings = append(d.findings, Finding{Rule: RuleWeakWord, Severity: r.Severity, Start: st, End: en,
			Text: text, Message: msg, Suggestions: []Suggestion{sugg}, Match: d.keepMatch(Match{Pattern: pi.src, Entry: pi.where})})
	}
}

// asksWhatWasTried: an open question about what the customer tried ("Hvad har du allerede prøvet?").
func (c *compiled) asksWhatWasTried(d *doc, s sentence) bool {
	if !s.question {
		return false
	}
	h := c.questionHead(d, s)
	if h < 0 || !d.is(h, c.triedQ) {
		return false
	}
	for k := h + 1; k < s.b; k++ {
		if d.is(k, c.you) {
			return true
		}
	}
	return false
}

// matchCase gives repl the capital of orig's first letter.
func matchCase(orig, repl string) string {
	for _, r := range orig {
		if r >= 'A' && r <= 'Z' || (r > 127 && strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r)) {
			return capitalize(repl)
		}
		break
	}
	return repl
}
