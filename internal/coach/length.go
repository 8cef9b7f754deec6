package coach

import "fmt"

// checkShort: the reply as sent must have at least the pack's threshold of words; the guidance
// asks for thorough answers. Greeting and sign-off count, as in the labelled corpus ("17 words in
// all"): the threshold is about what the customer receives, and the greeting and sign-off are a
// fixed handful of words that the default threshold of 25 already allows for.
func (c *compiled) checkShort(d *doc) {
	r := c.rules[RuleShortReply]
	if !r.enabled() {
		return
	}
	need := r.Threshold
	if need == 0 {
		need = 25
	}
	if d.words() >= need {
		return
	}
	// span: the body, or the whole text when there is no body at all
	a, b := d.bodyTok, d.endTok-1
	if a > b {
		a, b = 0, len(d.toks)-1
	}
	t := d.tx.rules[RuleShortReply]
	m := Match{Pattern: fmt.Sprintf("%d words, fewer than %d", d.words(), need), Entry: "rules.short-reply.threshold"}
	c.add(d, RuleShortReply, r.Severity, int(d.toks[a].start), int(d.toks[b].end), t.Message, m, advice(t.Suggestion))
}
