package coach

import (
	"fmt"
	"strings"
)

// inflected expands a word written "lemma/paradigm" into every form of the pack's paradigm
// (prøve/verb → prøv, prøve, prøver, prøvede, prøvet, prøves): the stem is the lemma without the
// paradigm's strip suffix, and each ending is added to it ("" gives the bare stem). Other words stay as they are.
// Forms in except are dropped: they are other words that happen to share the shape.
func (p *Pack) inflected(w string, except wordSet) ([]string, error) {
	i := strings.LastIndexByte(w, '/')
	if i <= 0 || i == len(w)-1 || strings.ContainsAny(w[i+1:], " *") {
		return []string{w}, nil
	}
	name := w[i+1:]
	par, ok := p.Inflect[name]
	if !ok {
		return nil, fmt.Errorf("%q: unknown paradigm %q (known: %s)", w, name, strings.Join(p.paradigmNames(), ", "))
	}
	lemma := w[:i]
	stem := strings.TrimSuffix(lemma, par.Strip)
	var out []string
	seen := map[string]bool{}
	for _, end := range par.Add {
		f := stem + end
		if f == "" || seen[f] || except[string(lowerInto(nil, f))] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return out, nil
}

func (p *Pack) paradigmNames() []string {
	var names []string
	for n := range p.Inflect {
		names = append(names, n)
	}
	return names
}

// lemmaOf is the word as the pack lists it ("prøve/verb" → "prøve").
func lemmaOf(w string) string {
	if i := strings.LastIndexByte(w, '/'); i > 0 {
		return w[:i]
	}
	return w
}
