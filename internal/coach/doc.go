package coach

import "strings"

// doc is the per-call working state; it is pooled so a lint allocates little beyond its result.
type doc struct {
	text      string
	toks      []token
	fold      []byte
	ids       []int32
	sents     []sentence
	clauses   []clause
	tokClause []int32 // clause index of each token, -1 outside the body
	tx        *texts  // messages in the agent's interface language
	matches   []match
	msent     []int32 // sentence index of each match
	dead      []bool  // match suppressed by an exception
	curSent   int
	curFirst  int // first word of the sentence being matched

	greeting bool
	bodyTok  int // first body token (after the greeting)
	endTok   int // first sign-off token (len(toks) if none)
	bodySent int // first body sentence
	endSent  int // first sign-off sentence
	replyTok int // end of the reply: a quoted earlier message below it is not counted
	findings []Finding
	matchBuf []Match // the findings' Match values while rules run; Lint copies them out in one allocation
	signals  []Signal
	sigCount [4]int // signals per kind, see signalIndex
}

func (d *doc) reset(text string) {
	d.text = text
	d.toks = d.toks[:0]
	d.fold = d.fold[:0]
	d.ids = d.ids[:0]
	d.sents = d.sents[:0]
	d.matches = d.matches[:0]
	d.msent = d.msent[:0]
	d.dead = d.dead[:0]
	d.findings = d.findings[:0]
	d.matchBuf = d.matchBuf[:0]
	d.signals = d.signals[:0]
	d.greeting = false
	d.sigCount = [4]int{}
}

// foldAll case-folds every token once; detection and matching both read d.fold.
func (d *doc) foldAll() {
	d.fold = d.fold[:0]
	for i := range d.toks {
		t := &d.toks[i]
		t.fa = int32(len(d.fold))
		if t.kind != tkPunct && t.kind != tkURL && t.kind != tkEmail {
			d.fold = lowerInto(d.fold, d.text[t.start:t.end])
		} else {
			d.fold = append(d.fold, d.text[t.start:t.end]...)
		}
		t.fb = int32(len(d.fold))
	}
}

func (d *doc) word(i int) string { t := &d.toks[i]; return string(d.fold[t.fa:t.fb]) }

// is reports whether token i's folded form is in set, without allocating.
func (d *doc) is(i int, set wordSet) bool {
	t := &d.toks[i]
	return set[string(d.fold[t.fa:t.fb])]
}

func (d *doc) raw(i int) string { t := &d.toks[i]; return d.text[t.start:t.end] }

// nextWord is the next word-like token after i inside [.., b), or -1.
func (d *doc) nextWord(i, b int) int {
	for k := i + 1; k < b; k++ {
		if d.toks[k].kind != tkPunct {
			return k
		}
	}
	return -1
}

// phraseAt reports whether the folded words of phrase start at token i (punctuation skipped).
func (d *doc) phraseAt(i int, phrase []string) (end int, ok bool) {
	k := i
	for j, w := range phrase {
		if j > 0 {
			k = d.nextWord(k, len(d.toks))
			if k < 0 {
				return 0, false
			}
		}
		// "Mvh." is one token (the abbreviation keeps its period) but the phrase is "mvh"
		if d.toks[k].kind == tkPunct || strings.TrimSuffix(d.word(k), ".") != w {
			return 0, false
		}
	}
	return k, true
}

// layout finds the greeting, the sign-off, and the sentences of the body.
func (c *compiled) layout(d *doc) {
	d.bodyTok = 0
	first := 0
	for first < len(d.toks) && d.toks[first].kind == tkPunct {
		first++
	}
	if first < len(d.toks) {
		for _, g := range c.greet {
			if e, ok := d.phraseAt(first, g); ok {
				d.greeting = true
				d.bodyTok = greetingEnd(d, e)
				break
			}
		}
	}
	markQuotes(d)
	splitSentences(d, d.bodyTok)
	defer c.splitClauses(d)
	d.bodySent = 0
	for d.bodySent < len(d.sents) && d.sents[d.bodySent].a < d.bodyTok {
		d.bodySent++
	}
	d.endSent, d.endTok = len(d.sents), len(d.toks)
	d.replyTok = len(d.toks)
	// A quoted earlier message ("> …" lines, as mail clients add below a reply) is the
	// customer's text: the reply ends where it starts.
	for si := d.bodySent; si < len(d.sents); si++ {
		s := d.sents[si]
		if t := &d.toks[s.a]; t.nl > 0 && t.kind == tkPunct && d.text[t.start:t.end] == ">" {
			d.endSent, d.endTok, d.replyTok = si, s.a, s.a
			break
		}
	}
	// The sign-off is the earliest of the last sentences that opens with a sign-off phrase
	// and leaves at most a dozen words (name, title, company) after it.
	words := 0
	for si := d.endSent - 1; si >= d.bodySent; si-- {
		s := d.sents[si]
		for k := s.a; k < s.b; k++ {
			if d.toks[k].kind != tkPunct {
				words++
			}
		}
		if words > 14 {
			break
		}
		fw := s.fw
		if fw < 0 {
			continue
		}
		for _, g := range c.signoff {
			if _, ok := d.phraseAt(fw, g); ok {
				d.endSent, d.endTok = si, s.a
				break
			}
		}
	}
}

// greetingEnd: the greeting runs to the first comma, stop or line break after the greeting word.
func greetingEnd(d *doc, e int) int {
	for k := e + 1; k < len(d.toks) && k <= e+6; k++ {
		t := &d.toks[k]
		if t.nl > 0 {
			return k
		}
		if t.kind == tkPunct {
			switch d.raw(k) {
			case ",", ".", "!", ":", "!!", "…":
				return k + 1
			}
		}
	}
	// no punctuation: the greeting word and any capitalised names after it
	k := e + 1
	for k < len(d.toks) && k <= e+3 && d.toks[k].kind == tkWord && d.toks[k].flags&flUpper != 0 && d.toks[k].nl == 0 {
		k++
	}
	return k
}

// maxWindow bounds the tokens matched as one unit: no real sentence is longer, and it keeps
// the exception check (quadratic in the hits of one window) cheap on hostile input.
const maxWindow = 400

// scanAll runs the phrase matcher over every body sentence and applies the exceptions.
func (c *compiled) scanAll(d *doc) {
	for si := d.bodySent; si < d.endSent; si++ {
		s := d.sents[si]
		d.curFirst = s.fw
		d.sents[si].mlo = len(d.matches)
		for a := s.a; a < s.b; a += maxWindow {
			b := min(a+maxWindow, s.b)
			d.curSent = a
			n0 := len(d.matches)
			c.m.scan(d, a, b)
			for k := n0; k < len(d.matches); k++ {
				d.msent = append(d.msent, int32(si))
				d.dead = append(d.dead, false)
			}
			c.applyExceptions(d, n0)
		}
		d.sents[si].mhi = len(d.matches)
		d.sents[si].summaryEnd = c.firstSummaryEnd(d, d.sents[si])
	}
}

// applyExceptions kills hits that overlap an exception of the same rule (du har ret til …).
func (c *compiled) applyExceptions(d *doc, n0 int) {
	for i := n0; i < len(d.matches); i++ {
		pi := c.m.pats[d.matches[i].pat]
		if !pi.exception {
			continue
		}
		for j := n0; j < len(d.matches); j++ {
			pj := c.m.pats[d.matches[j].pat]
			if pj.exception || pj.rule != pi.rule {
				continue
			}
			if d.matches[j].s <= d.matches[i].e && d.matches[i].s <= d.matches[j].e {
				d.dead[j] = true
			}
		}
	}
}

// run applies every enabled rule in report order.
func (c *compiled) run(d *doc, opt Options) {
	c.checkGreeting(d)
	c.checkAcknowledge(d, opt)
	c.checkPhrases(d, RuleFalseAgreement)
	c.checkNoBut(d)
	c.checkQuestions(d)
	c.checkWeak(d)
	c.checkPhrases(d, RuleBlame)
	c.checkPhrases(d, RuleRedirect)
	c.checkPhrases(d, RuleAssumption)
	c.checkEscalation(d)
	c.checkShort(d)
	for _, id := range c.custom {
		c.checkPhrases(d, id)
	}
	c.collectSignals(d)
}

func (c *compiled) on(id string) bool { return c.rules[id].enabled() }

// add appends a finding for rule id over bytes s..e; m says which pattern or mechanism matched.
func (c *compiled) add(d *doc, id string, sev Severity, s, e int, msg string, m Match, sugg ...Suggestion) {
	text := d.text[s:e]
	msg = strings.ReplaceAll(msg, "{text}", text)
	for i := range sugg {
		sugg[i].Label = strings.ReplaceAll(sugg[i].Label, "{text}", text)
	}
	if sugg == nil {
		sugg = []Suggestion{}
	}
	d.findings = append(d.findings, Finding{Rule: id, Severity: sev, Start: s, End: e, Text: text, Message: msg, Suggestions: sugg, Match: d.keepMatch(m)})
}

// keepMatch stores m in the pooled buffer; a pointer into an older backing array stays valid
// (append copies, it never rewrites), and Lint copies every Match out before the doc is reused.
func (d *doc) keepMatch(m Match) *Match {
	d.matchBuf = append(d.matchBuf, m)
	return &d.matchBuf[len(d.matchBuf)-1]
}

// signal records a positive signal; at most three of a kind keep the list short.
func (c *compiled) signal(d *doc, kind string, s, e int, label string) {
	k := signalIndex(kind)
	if d.sigCount[k] >= 3 {
		return
	}
	d.sigCount[k]++
	if label == "" {
		label = d.tx.signals[kind]
	}
	d.signals = append(d.signals, Signal{Kind: kind, Start: s, End: e, Text: d.text[s:e], Label: label})
}

func advice(label string) Suggestion { return Suggestion{Label: label} }

func replaceWith(label, repl string) Suggestion {
	r := repl
	return Suggestion{Label: strings.ReplaceAll(label, "{fix}", repl), Replace: &r}
}

// dropLeading returns the span from token i to the end of the next word, and that word capitalised:
// applying it removes token i from the start of a sentence ("Men du kan" → "Du kan").
func (d *doc) dropLeading(i, b int) (s, e int, repl string, ok bool) {
	n := d.nextWord(i, b)
	if n < 0 {
		return 0, 0, "", false
	}
	return int(d.toks[i].start), int(d.toks[n].end), capitalize(d.raw(n)), true
}

// words counts the word-like tokens (words, numbers, URLs, addresses) of the whole reply.
func (d *doc) words() int {
	n := 0
	for k := 0; k < d.replyTok; k++ {
		if d.toks[k].kind != tkPunct {
			n++
		}
	}
	return n
}

func signalIndex(kind string) int {
	switch kind {
	case SignalAcknowledgment:
		return 0
	case SignalOpenQuestion:
		return 1
	case SignalStrongWord:
		return 2
	}
	return 3
}
