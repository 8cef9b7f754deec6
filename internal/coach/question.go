package coach

import "strings"

// questionHead finds the word that decides a question's shape: the first word, after a leading
// conjunction or a vocative ("Peter, har du …?"), or after a subordinate clause ("Hvis …, kan du …?").
func (c *compiled) questionHead(d *doc, s sentence) int {
	h := s.fw
	// a condition first ("Virker det ikke, kan du …?"): the question is the clause after it
	if cl := d.clauseAt(h); cl != nil && cl.kind == clCondition {
		ci := int(d.tokClause[h]) + 1
		if ci >= len(d.clauses) || d.clauses[ci].sent != cl.sent {
			return -1
		}
		h = d.clauses[ci].fw
	}
	for step := 0; h >= 0 && step < 3; step++ {
		switch {
		case d.is(h, c.qSkip):
			h = d.nextWord(h, s.b)
		case h+1 < s.b && d.raw(h+1) == "," && !d.is(h, c.openQ):
			// vocative or interjection before a comma: look past it
			h = d.nextWord(h+1, s.b)
		case d.is(h, c.subord):
			k := h + 1
			for k < s.b && d.raw(k) != "," {
				k++
			}
			if k >= s.b {
				return -1
			}
			h = d.nextWord(k, s.b)
		default:
			return h
		}
	}
	return h
}

// finiteVerb: a listed verb, or a word with a finite-verb ending that is not a known non-verb.
func (c *compiled) finiteVerb(d *doc, h int) bool {
	if d.is(h, c.qVerbs) {
		return true
	}
	t := &d.toks[h]
	if t.kind != tkWord || t.flags&flAllCaps != 0 || d.is(h, c.notVerbs) || d.is(h, c.openQ) || d.is(h, c.you) {
		return false
	}
	w := d.word(h)
	for _, suf := range c.qSuffixes {
		if len(w) >= len(suf)+3 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// checkQuestions flags yes/no questions and credits open hv-questions.
func (c *compiled) checkQuestions(d *doc) {
	r := c.rules[RuleClosedQuestion]
	for si := d.bodySent; si < d.endSent; si++ {
		s := d.sents[si]
		if !s.question {
			continue
		}
		h := c.questionHead(d, s)
		if h < 0 || d.toks[h].kind != tkWord || d.toks[h].flags&flQuoted != 0 {
			continue
		}
		if d.is(h, c.openQ) {
			c.signal(d, SignalOpenQuestion, s.start, s.end, "")
			continue
		}
		if !r.enabled() || d.nextWord(h, s.b) < 0 || !(c.finiteVerb(d, h) || c.tagQuestion(d, s)) {
			continue
		}
		// "Kan jeg fortryde mit køb? Ja, …": the writer answers it at once, so it is a heading
		// or a rhetorical question, not one put to the customer
		if c.answeredNext(d, si) {
			continue
		}
		t := d.tx.rules[RuleClosedQuestion]
		sugg := []Suggestion{}
		if repl, ok := c.requestRewrite(d, s, h); ok {
			sugg = append(sugg, replaceWith(t.RequestLabel, repl))
		}
		sugg = append(sugg, advice(t.Suggestion))
		c.add(d, RuleClosedQuestion, r.Severity, s.start, s.end, t.Message, c.questionMatch(d, s, h), sugg...)
	}
}

// requestRewrite turns "Kan du sende mig X?" into "Send mig X." when the request opens the sentence.
func (c *compiled) requestRewrite(d *doc, s sentence, h int) (string, bool) {
	if h != s.fw || !d.is(h, c.reqVerbs) {
		return "", false
	}
	y := d.nextWord(h, s.b)
	if y < 0 || !d.is(y, c.you) {
		return "", false
	}
	v := d.nextWord(y, s.b)
	for v >= 0 && d.is(v, c.reqSkip) {
		v = d.nextWord(v, s.b)
	}
	if v < 0 || d.toks[v].kind != tkWord || d.is(v, c.reqNot) || d.is(v, c.you) {
		return "", false
	}
	// the rest up to the question mark
	q := s.b - 1
	for q > v && d.toks[q].kind == tkPunct {
		q--
	}
	rest := d.text[d.toks[v].end:d.toks[q].end]
	out := c.imperative(d.raw(v)) + rest + "."
	if c.p.Questions.RequestPrefix != "" {
		return c.p.Questions.RequestPrefix + lowerFirst(out), true
	}
	return capitalize(out), true
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// tagQuestion: a statement with a yes/no tag after a comma ("Du har fået mailen, ikke?").
func (c *compiled) tagQuestion(d *doc, s sentence) bool {
	last := s.b - 1
	for last > s.a && d.toks[last].kind == tkPunct {
		last--
	}
	for _, tag := range c.tags {
		first := last - len(tag) + 1
		if first <= s.a || d.raw(first-1) != "," {
			continue
		}
		if _, ok := d.phraseAt(first, tag); ok {
			return true
		}
	}
	return false
}

// questionMatch names what made a question closed: a listed verb, a verb ending, or a tag.
func (c *compiled) questionMatch(d *doc, s sentence, h int) Match {
	switch {
	case d.is(h, c.qVerbs):
		return Match{Pattern: "question opens with the verb '" + d.word(h) + "'", Entry: "questions.verbs"}
	case c.finiteVerb(d, h):
		return Match{Pattern: "question opens with a finite verb ('" + d.word(h) + "')", Entry: "questions.verb_suffixes"}
	}
	return Match{Pattern: "statement with a yes/no tag", Entry: "questions.tags"}
}

// answeredNext reports whether the sentence after si is the writer's own yes or no: an answer
// word set off by a comma or stop ("Ja, det kan du." / "Yes."), not "No worries" or "Nej?".
func (c *compiled) answeredNext(d *doc, si int) bool {
	if si+1 >= d.endSent {
		return false
	}
	n := d.sents[si+1]
	if n.question || n.fw < 0 || !d.is(n.fw, c.qAnswers) {
		return false
	}
	if n.fw+1 >= n.b { // the answer word alone
		return true
	}
	switch d.raw(n.fw + 1) {
	case ",", ".", "!", ":", "–", "—":
		return true
	}
	return false
}
