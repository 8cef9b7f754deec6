package coach

import "unicode/utf8"

// detector votes with stop words: each pack's common words count 1, its marker words (words no
// other of the four languages uses, like "af"/"av", "mig"/"meg", "och") count 3, and its letters
// (ä, ö for Swedish) count 1 each. Danish and Bokmål are told apart by the markers.
type detector struct {
	langs []string
	words map[string][]float32 // folded word → weight per language
	chars map[rune][]float32
}

func buildDetector(c *Coach) detector {
	d := detector{langs: c.order, words: map[string][]float32{}, chars: map[rune][]float32{}}
	n := len(c.order)
	vote := func(w string, li int, weight float32) {
		w = string(lowerInto(nil, w))
		v := d.words[w]
		if v == nil {
			v = make([]float32, n)
			d.words[w] = v
		}
		v[li] += weight
	}
	for li, lang := range c.order {
		p := c.packs[lang].p
		for _, w := range p.Detect.Words {
			vote(w, li, 1)
		}
		for _, w := range p.Detect.Markers {
			vote(w, li, 3)
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
			for li := 0; li < n; li++ {
				score[li] += v[li]
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
