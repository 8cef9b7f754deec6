package coach

// speaker is who does the act of a verb: a weak verb (prøve, tro, try) is a hedge only when
// the writer does it; the customer's reported attempt or belief and a third party's action are facts.
type speaker uint8

const (
	spWriter       speaker = iota
	spCustomer             // the customer did it or believes it: "du har prøvet", "you tried", "hvis du tror"
	spCustomerThen         // the customer, in the present: "hvis du prøver igen" is the writer's suggestion
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
	modal, third, before, perfect := false, false, false, false
	for j, steps := k-1, 0; j >= a && steps < 6; j, steps = j-1, steps+1 {
		if d.toks[j].kind == tkPunct {
			continue
		}
		before = true
		switch {
		case d.is(j, c.writer):
			return spWriter
		case d.is(j, c.customer):
			// "du kan prøve", "Kunne du prøve …?" are the writer's advice; "Har du prøvet …?" is
			// asked, and counted, as a question
			if p := j - 1; modal || (p >= a && d.toks[p].kind != tkPunct && d.is(p, c.modal)) {
				return spWriter
			}
			if question {
				return spCustomer
			}
			if perfect || c.pastForm(d, k) {
				return spCustomer
			}
			return spCustomerThen
		case d.is(j, c.modal):
			modal = true
		case d.is(j, c.aux):
			perfect = perfect || d.is(j, c.perfAux)
		case d.is(j, c.subjSkip):
		case d.is(j, c.infMarks):
			return spWriter // "at prøve", "to try": general advice from the writer
		case d.is(j, c.thirdSubj), c.looksLikeNoun(d, j, a):
			// "vores chauffør", "our driver": our own people act for the writer
			if p := j - 1; p >= a && d.toks[p].kind == tkWord && d.is(p, c.ourPoss) {
				return spWriter
			}
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
			if question || c.pastForm(d, k) {
				return spCustomer
			}
			return spCustomerThen
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

// pastForm: the verb is a past tense or participle (prøvede, prøvet, tried): a reported act.
func (c *compiled) pastForm(d *doc, k int) bool {
	t := &d.toks[k]
	w := d.fold[t.fa:t.fb]
	for _, suf := range c.pastSuffixes {
		if len(w) > len(suf)+1 && string(w[len(w)-len(suf):]) == suf {
			return true
		}
	}
	return false
}

// reportedClause: the clause is what someone says or sees ("…, at du prøver at betale"), or
// follows the writer's summary of the customer's words.
func (c *compiled) reportedClause(d *doc, si, k int) bool {
	if e := d.sents[si].summaryEnd; e >= 0 && int(e) < k {
		return true
	}
	a := 0
	if cl := d.clauseAt(k); cl != nil {
		a = cl.a
	}
	for j, n := k-1, 0; j >= a && n < 6; j, n = j-1, n+1 {
		if d.toks[j].kind != tkPunct && d.is(j, c.complementizers) {
			return true
		}
	}
	return false
}
