package coach

import "strings"

// checkEscalation: shouting (two or more all-caps words that are not acronyms), "!!", and
// phrases that remind the customer they were already told.
func (c *compiled) checkEscalation(d *doc) {
	r := c.rules[RuleEscalation]
	if !r.enabled() {
		return
	}
	need := r.Threshold
	if need == 0 {
		need = 2
	}
	var caps []int
	for k := d.bodyTok; k < d.endTok; k++ {
		t := &d.toks[k]
		if t.kind == tkWord && t.flags&(flAllCaps|flQuoted) == flAllCaps && t.letters >= 3 && !d.is(k, c.acronyms) {
			caps = append(caps, k)
		}
	}
	capsMsg := r.CapsMessage
	if capsMsg == "" {
		capsMsg = r.Message
	}
	if len(caps) >= need {
		si := 0
		for _, k := range caps {
			low := strings.ToLower(d.raw(k))
			for si < len(d.sents) && d.sents[si].b <= k {
				si++
			}
			if si < len(d.sents) && d.sents[si].fw == k {
				low = capitalize(low)
			}
			c.add(d, RuleEscalation, r.Severity, int(d.toks[k].start), int(d.toks[k].end), capsMsg, replaceWith(r.CapsLabel, low))
		}
	}
	bang := r.BangMessage
	if bang == "" {
		bang = r.Message
	}
	for k := d.bodyTok; k < d.endTok; k++ {
		t := &d.toks[k]
		if t.kind == tkPunct && t.flags&flQuoted == 0 && strings.Count(d.raw(k), "!") >= 2 {
			c.add(d, RuleEscalation, r.Severity, int(t.start), int(t.end), bang, replaceWith(r.CapsLabel, "."))
		}
	}
	c.checkPhrases(d, RuleEscalation)
}
