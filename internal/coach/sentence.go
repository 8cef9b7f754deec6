package coach

// sentence is a run of tokens [a,b); start/end are byte offsets of its first and last token.
type sentence struct {
	a, b       int
	start, end int
	question   bool  // ends with a question mark
	fw         int   // first word (see firstWord), -1 if none
	mlo, mhi   int   // this sentence's phrase hits: d.matches[mlo:mhi]
	summaryEnd int32 // last token of the first summary of the customer's words ("Du skriver, at"), -1 if none
}

func isTerminator(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == '!' || s[i] == '?' {
			return true
		}
	}
	return s == "…"
}

func isCloser(s string) bool {
	switch s {
	case "\"", "”", "“", "’", "'", ")", "]", "»", "›":
		return true
	}
	return false
}

// lowerWord reports a token that continues a sentence across a line break.
func lowerWord(d *doc, t *token) bool {
	return (t.kind == tkWord) && t.flags&flUpper == 0 && t.letters > 0
}

// splitSentences fills d.sents; forced is a token index that must start a sentence (after the greeting).
func splitSentences(d *doc, forced int) {
	toks := d.toks
	d.sents = d.sents[:0]
	if len(toks) == 0 {
		return
	}
	a := 0
	firstLineEnd := -1
	for i := 1; i < len(toks); i++ {
		if toks[i].nl > 0 {
			firstLineEnd = i
			break
		}
	}
	brk := func(i int) {
		if i > a {
			d.sents = append(d.sents, d.mkSentence(a, i))
			a = i
		}
	}
	for i := 1; i < len(toks); i++ {
		t := &toks[i]
		p := &toks[i-1]
		ptxt := d.text[p.start:p.end]
		switch {
		case i == forced:
			brk(i)
		case t.nl >= 2:
			brk(i)
		case t.nl == 1:
			switch {
			case p.kind == tkPunct && (isTerminator(ptxt) || ptxt == ":" || ptxt == ";"):
				brk(i)
			case p.kind == tkPunct && isCloser(ptxt):
				brk(i)
			case p.kind == tkPunct && ptxt == "," && i == firstLineEnd:
				brk(i)
			case !lowerWord(d, t):
				brk(i)
			}
		case p.kind == tkPunct && isTerminator(ptxt):
			if isListMarker(d, i-1) {
				continue
			}
			if t.kind == tkPunct && isCloser(d.text[t.start:t.end]) {
				continue // the closing quote belongs to this sentence; break after it
			}
			if !lowerWord(d, t) {
				brk(i)
			}
		case p.kind == tkPunct && isCloser(ptxt) && i >= 2 && toks[i-2].kind == tkPunct && isTerminator(d.text[toks[i-2].start:toks[i-2].end]):
			if !lowerWord(d, t) {
				brk(i)
			}
		case p.flags&flTermAbbr != 0 && t.flags&flUpper != 0:
			brk(i)
		}
	}
	d.sents = append(d.sents, d.mkSentence(a, len(toks)))
}

// maxQuote bounds a quotation; an unclosed or very long one is treated as no quotation at all.
const maxQuote = 80

// markQuotes flags the tokens between matching quotation marks ("…", “…”, «…», „…“).
func markQuotes(d *doc) {
	open := -1
	var want string
	for i := range d.toks {
		t := &d.toks[i]
		if t.kind != tkPunct {
			continue
		}
		s := d.text[t.start:t.end]
		if open >= 0 {
			if s == want || (want == "\"" && s == "”") {
				for k := open + 1; k < i; k++ {
					d.toks[k].flags |= flQuoted
				}
				open = -1
			} else if i-open > maxQuote {
				open = -1
			}
			continue
		}
		switch s {
		case "\"":
			open, want = i, "\""
		case "“":
			open, want = i, "”"
		case "„":
			open, want = i, "“"
		case "«":
			open, want = i, "»"
		}
	}
}

// isListMarker: "1." at the start of a line is a list number, not a sentence end.
func isListMarker(d *doc, i int) bool {
	if i < 1 {
		return false
	}
	num := &d.toks[i-1]
	if num.kind != tkNumber && !(num.kind == tkWord && num.letters == 1) {
		return false
	}
	if d.text[d.toks[i].start:d.toks[i].end] != "." && d.text[d.toks[i].start:d.toks[i].end] != ")" {
		return false
	}
	return i-1 == 0 || num.nl > 0
}

func (d *doc) mkSentence(a, b int) sentence {
	s := sentence{a: a, b: b, start: int(d.toks[a].start), end: int(d.toks[b-1].end), fw: d.firstWord(a, b)}
	for k := b - 1; k >= a; k-- {
		t := &d.toks[k]
		if t.kind != tkPunct {
			break
		}
		txt := d.text[t.start:t.end]
		if isCloser(txt) {
			continue
		}
		for j := 0; j < len(txt); j++ {
			if txt[j] == '?' {
				s.question = true
			}
		}
		break
	}
	return s
}

// firstWord returns the index of the first word-like token in [a,b), skipping list markers and quotes.
func (d *doc) firstWord(a, b int) int {
	for k := a; k < b; k++ {
		t := &d.toks[k]
		if t.kind == tkWord {
			return k
		}
		if t.kind == tkNumber && k+1 < b && d.toks[k+1].kind == tkPunct && isListMarker(d, k+1) {
			k++
			continue
		}
		if t.kind == tkPunct {
			continue
		}
		return k
	}
	return -1
}
