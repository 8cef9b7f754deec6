package coach

// speaker is who does the act of a verb: a weak verb (prøve, tro, try) is a hedge only when
// the writer does it; the customer's reported attempt or belief and a third party's action are facts.
type speaker uint8

const (
	spWriter speaker = iota
	spCustomer
	spThird
)

// speakerOf finds the subject of the verb at token k within its clause: looking back past
// auxiliaries, modals and adverbs ("du har allerede prøvet", "vi prøver", "chaufføren vil prøve"),
// then right after the verb for an inverted subject ("så prøver vi", "tror du").
func (c *compiled) speakerOf(d *doc, k int, question bool) speaker {
	a := 0
	if cl := d.clauseAt(k); cl != nil {
		a = cl.a
	}
	modal, third, before := false, false, false
	for j, steps := k-1, 0; j >= a && steps < 6; j, steps = j-1, steps+1 {
		if d.toks[j].kind == tkPunct {
			continue
		}
		before = true
		switch {
		case d.is(j, c.writer):
			return spWriter
		case d.is(j, c.customer):
			// "Har du prøvet …?" is asked, and counted, as a question; "du kan prøve" is advice
			if question {
				return spCustomer
			}
			if p := j - 1; modal || (p >= a && d.toks[p].kind != tkPunct && d.is(p, c.modal)) {
				return spWriter
			}
			return spCustomer
		case d.is(j, c.modal):
			modal = true
		case d.is(j, c.aux), d.is(j, c.subjSkip):
		case d.is(j, c.infMarks):
			return spWriter // "at prøve", "to try": general advice from the writer
		case d.is(j, c.thirdSubj), c.looksLikeNoun(d, j, a):
			third = true
			j = a // stop looking back
		case d.is(j, c.qSkip):
			// "Genstart routeren og prøv igen": an imperative after "og" is the writer's
			if d.is(k, c.tryImp) {
				return spWriter
			}
		case d.is(j, c.then), c.startsCondition(d, j, k):
			j = a
		}
	}
	if n := d.nextWord(k, len(d.toks)); n >= 0 && (d.clauseAt(n) == d.clauseAt(k)) {
		switch {
		case d.is(n, c.writer):
			return spWriter
		case d.is(n, c.customer):
			return spCustomer
		case before && (d.is(n, c.thirdSubj) || c.looksLikeNoun(d, n, a)):
			third = true // "I morgen prøver chaufføren igen"
		}
	}
	if third {
		return spThird
	}
	return spWriter // an imperative or a bare infinitive: the writer's instruction
}

// looksLikeNoun: a definite noun (chaufføren, budet), a noun after an article (the driver), or a
// capitalised name inside the sentence.
func (c *compiled) looksLikeNoun(d *doc, j, a int) bool {
	t := &d.toks[j]
	if t.kind != tkWord {
		return false
	}
	if t.flags&flUpper != 0 && t.flags&flAllCaps == 0 && j > a && !d.is(j, c.writer) {
		return true
	}
	if p := j - 1; p >= a && d.toks[p].kind == tkWord && d.is(p, c.articles) {
		return true
	}
	if t.letters < 5 {
		return false
	}
	w := d.fold[t.fa:t.fb]
	for _, suf := range c.defSuffixes {
		if len(w) > len(suf) && string(w[len(w)-len(suf):]) == suf {
			return true
		}
	}
	return false
}
