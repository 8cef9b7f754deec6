package coach

import "fmt"

// checkAcknowledge: the opening sentences after the greeting must acknowledge the customer's
// feeling or situation. An acknowledgment found there is also credited as a positive signal.
func (c *compiled) checkAcknowledge(d *doc, opt Options) {
	r := c.rules[RuleAcknowledge]
	window := r.Window
	if window == 0 {
		window = 2
	}
	if d.bodySent >= d.endSent {
		return
	}
	last := min(d.bodySent+window, d.endSent)
	for i, mt := range d.matches {
		pi := c.m.pats[mt.pat]
		if d.dead[i] || pi.exception || pi.rule != RuleAcknowledge || (pi.notQ && d.sents[d.msent[i]].question) {
			continue
		}
		if int(d.msent[i]) < last {
			c.signal(d, SignalAcknowledgment, int(d.toks[mt.s].start), int(d.toks[mt.e].end), "")
			return
		}
	}
	if opt.NoAcknowledge || !r.enabled() {
		return
	}
	s := d.sents[d.bodySent]
	t := d.tx.rules[RuleAcknowledge]
	m := Match{Pattern: fmt.Sprintf("no acknowledgment in the first %d sentences", window), Entry: "rules.acknowledge.patterns"}
	c.add(d, RuleAcknowledge, r.Severity, s.start, s.end, t.Message, m, advice(t.Suggestion))
}

// excepted reports an exception hit of rule id that covers token k in sentence si.
func (c *compiled) excepted(d *doc, id string, si, k int) bool {
	s := d.sents[si]
	for i := s.mlo; i < s.mhi; i++ {
		mt := d.matches[i]
		pi := c.m.pats[mt.pat]
		if pi.exception && pi.rule == id && int(mt.s) <= k && k <= int(mt.e) {
			return true
		}
	}
	return false
}
