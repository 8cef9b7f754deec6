package coach

import "unicode/utf8"

// detector votes with stop words: each pack's common words count 1, its marker words (words no
// other of the four languages uses, like "af"/"av", "mig"/"meg", "och") count 3, and its letters
// (ä, ö for Swedish) count 1 each. Danish and Bokmål are told apart by the markers.
type detector struct {
	langs    []string
	words    map[string]*vote // folded word → its votes
	chars    map[rune][]float32
	suffixes [][]string // per language
}

// vote is what one word says: its weight per language, and per language the extra weight it
// earns right after a definite noun.
type vote struct {
	w, afterDef []float32
}

func buildDetector(c *Coach) detector {
	d := detector{langs: c.order, words: map[string]*vote{}, chars: map[rune][]float32{}}
	n := len(c.order)
	get := func(w string) *vote {
		w = string(lowerInto(nil, w))
		v := d.words[w]
		if v == nil {
			v = &vote{w: make([]float32, n), afterDef: make([]float32, n)}
			d.words[w] = v
		}
		return v
	}
	add := func(w string, li int, weight float32) { get(w).w[li] += weight }
	d.suffixes = make([][]string, n)
	for li, lang := range c.order {
		p := c.packs[lang].p
		d.suffixes[li] = p.Detect.Suffixes
		for _, w := range p.Detect.Words {
			add(w, li, 1)
		}
		for _, w := range p.Detect.Markers {
			add(w, li, 3)
		}
		for _, w := range p.Detect.AfterDefinite {
			get(w).afterDef[li] += 2
		}
		for _, r := range p.Detect.Chars {
			v := d.chars[r]
			if v == nil {
				v = make([]float32, n)
				d.chars[r] = v
			}
			v[li]++
		}
	}
	return d
}

// detect picks the language with the most votes; a tie or no votes gives def.
func (dt *detector) detect(d *doc, def string) string {
	var score [8]float32
	n := min(len(dt.langs), len(score))
	words := 0
	for i := range d.toks {
		t := &d.toks[i]
		if t.kind != tkWord {
			continue
		}
		// a long text is decided early: stop once one language leads clearly
		if words++; words%32 == 0 && clearLead(score[:n]) {
			break
		}
		w := d.fold[t.fa:t.fb]
		if v := dt.words[string(w)]; v != nil {
			def := i > 0 && definite(d, i-1)
			for li := 0; li < n; li++ {
				score[li] += v.w[li]
				if def {
					score[li] += v.afterDef[li]
				}
			}
		}
		if len(w) >= 6 {
			for li := 0; li < n; li++ {
				for _, suf := range dt.suffixes[li] {
					if string(w[len(w)-len(suf):]) == suf {
						score[li]++
					}
				}
			}
		}
		if len(dt.chars) == 0 {
			continue
		}
		for j := 0; j < len(w); j++ {
			if w[j] < utf8.RuneSelf {
				continue
			}
			r, size := utf8.DecodeRune(w[j:])
			j += size - 1
			if v := dt.chars[r]; v != nil {
				for li := 0; li < n; li++ {
					score[li] += v[li]
				}
			}
		}
	}
	best, bestScore := def, float32(0)
	for li := 0; li < n; li++ {
		if score[li] > bestScore {
			best, bestScore = dt.langs[li], score[li]
		}
	}
	return best
}

// clearLead: the best language has at least 20 votes and twice the runner-up's.
func clearLead(score []float32) bool {
	var best, second float32
	for _, v := range score {
		if v > best {
			best, second = v, best
		} else if v > second {
			second = v
		}
	}
	return best >= 20 && best >= 2*second
}

// definite: the previous token is a word in a definite form (-en, -et, -a, -ne).
func definite(d *doc, i int) bool {
	t := &d.toks[i]
	if t.kind != tkWord || t.nl > 0 {
		return false
	}
	w := d.fold[t.fa:t.fb]
	if len(w) < 4 {
		return false
	}
	switch {
	case w[len(w)-1] == 'a', string(w[len(w)-2:]) == "en", string(w[len(w)-2:]) == "et", string(w[len(w)-2:]) == "ne":
		return true
	}
	return false
}
