package coach

// clause is a stretch of a sentence between clause marks (, ; : – —), computed once per lint so
// every rule reads the same notion of where a clause starts and what it does.
type clause struct {
	a, b           int // tokens [a,b)
	fw             int // first word, -1 if none
	sent           int // sentence index
	kind           clauseKind
	counterfactual bool // a condition in the pluperfect: "Hvis du havde læst …", "Had you checked …"
}

type clauseKind uint8

const (
	clStatement clauseKind = iota
	clCondition            // "Hvis du har mistet …", "If you have lost …", "Virker det ikke, …"
	clQuestion             // part of a sentence ending in "?"
)

func isClauseBoundary(s string) bool { return isClauseMark(s) || s == ":" }

// splitClauses fills d.clauses and d.tokClause for every sentence of the body, in one pass.
func (c *compiled) splitClauses(d *doc) {
	d.clauses = d.clauses[:0]
	if cap(d.tokClause) < len(d.toks) {
		d.tokClause = make([]int32, len(d.toks))
	}
	d.tokClause = d.tokClause[:len(d.toks)]
	k := 0
	for si := d.bodySent; si < d.endSent; si++ {
		s := d.sents[si]
		for ; k < s.a; k++ {
			d.tokClause[k] = -1
		}
		first := len(d.clauses)
		a := s.a
		for ; k <= s.b; k++ {
			if k < s.b && !(d.toks[k].kind == tkPunct && isClauseBoundary(d.raw(k))) {
				d.tokClause[k] = int32(len(d.clauses))
				continue
			}
			if k > a {
				d.clauses = append(d.clauses, clause{a: a, b: k, fw: d.firstWordOf(a, k), sent: si})
			}
			if k < s.b {
				d.tokClause[k] = -1 // the mark itself belongs to no clause
			}
			a = k + 1
		}
		k = s.b
		c.classifyClauses(d, s, first)
	}
	for ; k < len(d.toks); k++ {
		d.tokClause[k] = -1
	}
}

func (d *doc) firstWordOf(a, b int) int {
	for k := a; k < b; k++ {
		if d.toks[k].kind != tkPunct {
			return k
		}
	}
	return -1
}

// classifyClauses marks conditions (a conditional conjunction, or a verb-first clause followed by
// its main clause) and question clauses in the sentence whose clauses start at index first.
func (c *compiled) classifyClauses(d *doc, s sentence, first int) {
	for ci := first; ci < len(d.clauses); ci++ {
		cl := &d.clauses[ci]
		if s.question {
			cl.kind = clQuestion
		}
		h := cl.fw
		for h >= 0 && h < cl.b && d.is(h, c.qSkip) {
			h = d.nextWord(h, cl.b)
		}
		if h < 0 {
			continue
		}
		if c.startsCondition(d, h, cl.b) {
			cl.kind = clCondition
			cl.counterfactual = c.pluperfectNear(d, h, cl.b)
			continue
		}
		// verb first, then the main clause: "Virker det ikke, sender jeg …", "Had you checked …, you would …"
		if ci == first && ci+1 < len(d.clauses) && c.v1Condition(d, h, cl.b, d.clauses[ci+1], s.question) {
			cl.kind = clCondition
			cl.counterfactual = d.is(h, c.counterfactual)
		}
	}
}

// startsCondition: the clause opens with a conditional conjunction (hvis, om, dersom, if, in case).
func (c *compiled) startsCondition(d *doc, h, b int) bool {
	if !d.is(h, c.condFirst) {
		return false // the cheap test first: most clauses open with no conditional word
	}
	for _, ph := range c.conditions {
		if e, ok := d.phraseAt(h, ph); ok && e < b {
			return true
		}
	}
	return false
}

// pluperfectNear: a counterfactual auxiliary (havde, hadde, hade, had) within the next few words.
func (c *compiled) pluperfectNear(d *doc, h, b int) bool {
	k := h
	for n := 0; n < 4 && k >= 0 && k < b; n++ {
		if d.is(k, c.counterfactual) {
			return true
		}
		k = d.nextWord(k, b)
	}
	return false
}

// v1Condition: a clause that opens with a finite verb (in English only the pack's condition verbs:
// had, should, were) and is followed by a main clause that starts with a verb, "så"/"then", or in
// a question with a hv-word and its verb.
func (c *compiled) v1Condition(d *doc, h, b int, next clause, question bool) bool {
	if d.toks[h].kind != tkWord || d.is(h, c.openQ) || d.is(h, c.you) || d.is(h, c.me) {
		return false
	}
	if len(c.condVerbs) > 0 {
		if !d.is(h, c.condVerbs) {
			return false
		}
	} else if !c.finiteVerb(d, h) {
		return false
	}
	n := next.fw
	if n < 0 {
		return false
	}
	if !question && d.is(n, c.then) {
		return true
	}
	if d.is(n, c.openQ) {
		v := d.nextWord(n, next.b)
		return v >= 0 && c.finiteVerb(d, v)
	}
	if len(c.condVerbs) > 0 {
		// English main clauses are subject first: "Had you checked …, you would …"
		return !question || c.finiteVerb(d, n)
	}
	return c.finiteVerb(d, n)
}

// clauseAt is the clause holding token k, or nil outside the body.
func (d *doc) clauseAt(k int) *clause {
	if k < 0 || k >= len(d.tokClause) || d.tokClause[k] < 0 {
		return nil
	}
	return &d.clauses[d.tokClause[k]]
}

// inNeutralCondition: token k sits in a condition that is not counterfactual ("Hvis du har glemt …").
func (d *doc) inNeutralCondition(k int) bool {
	cl := d.clauseAt(k)
	return cl != nil && cl.kind == clCondition && !cl.counterfactual
}
