package coach

import "strings"

// checkEscalation: shouting, "!!", and phrases that remind the customer they were already told.
// Shouting is an ordinary word in capitals that shouts on its own (IKKE, NEVER), or the pack's
// threshold of different all-caps words; the same capitalised word repeated (a brand name such as
// ELGIGANTEN) counts once, and listed acronyms and names never count.
func (c *compiled) checkEscalation(d *doc) {
	r := c.rules[RuleEscalation]
	if !r.enabled() {
		return
	}
	t := d.tx.rules[RuleEscalation]
	need := r.Threshold
	if need == 0 {
		need = 2
	}
	var caps []int
	distinct, shouts := 0, 0
	for k := d.bodyTok; k < d.endTok; k++ {
		tk := &d.toks[k]
		if tk.kind != tkWord || tk.flags&(flAllCaps|flQuoted) != flAllCaps || tk.letters < 3 || d.is(k, c.acronyms) {
			continue
		}
		if d.is(k, c.shout) {
			shouts++
		}
		if !c.seenCaps(d, caps, k) {
			distinct++
		}
		caps = append(caps, k)
	}
	capsMsg := t.CapsMessage
	if capsMsg == "" {
		capsMsg = t.Message
	}
	if distinct >= need || shouts > 0 {
		si := 0
		for _, k := range caps {
			if distinct < need && !d.is(k, c.shout) {
				continue // a lone name in capitals beside a shouted word is still a name
			}
			low := strings.ToLower(d.raw(k))
			for si < len(d.sents) && d.sents[si].b <= k {
				si++
			}
			if si < len(d.sents) && d.sents[si].fw == k {
				low = capitalize(low)
			}
			m := Match{Pattern: "word in capitals", Entry: "rules.escalation.threshold"}
			if d.is(k, c.shout) {
				m = Match{Pattern: d.word(k), Entry: "rules.escalation.shout_words"}
			}
			c.add(d, RuleEscalation, r.Severity, int(d.toks[k].start), int(d.toks[k].end), capsMsg, m, replaceWith(t.CapsLabel, low))
		}
	}
	bang := t.BangMessage
	if bang == "" {
		bang = t.Message
	}
	for k := d.bodyTok; k < d.endTok; k++ {
		tk := &d.toks[k]
		if tk.kind == tkPunct && tk.flags&flQuoted == 0 && strings.Count(d.raw(k), "!") >= 2 {
			c.add(d, RuleEscalation, r.Severity, int(tk.start), int(tk.end), bang, Match{Pattern: "!!", Entry: "rules.escalation.bang_message"}, replaceWith(t.CapsLabel, "."))
		}
	}
	c.checkPhrases(d, RuleEscalation)
}

// seenCaps: the same word in capitals came earlier (a name repeated is one name).
func (c *compiled) seenCaps(d *doc, caps []int, k int) bool {
	w := d.fold[d.toks[k].fa:d.toks[k].fb]
	for i := len(caps) - 1; i >= 0 && i >= len(caps)-64; i-- {
		j := caps[i]
		if string(d.fold[d.toks[j].fa:d.toks[j].fb]) == string(w) {
			return true
		}
	}
	return false
}
