package coach

import "strings"

// DiffLine is one line of a line diff: Op is ' ' (kept), '-' (only in the old text) or '+' (only in the new).
type DiffLine struct {
	Op   byte
	Text string
}

// Diff compares two texts line by line (longest common subsequence); context keeps that many
// unchanged lines around each change, and -1 keeps them all.
func Diff(old, new string, context int) []DiffLine {
	a, b := splitLines(old), splitLines(new)
	// trim the common head and tail: packs change in a few places
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	lcs := make([][]int32, len(ma)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var all []DiffLine
	for _, l := range a[:pre] {
		all = append(all, DiffLine{' ', l})
	}
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		switch {
		case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
			all = append(all, DiffLine{' ', ma[i]})
			i, j = i+1, j+1
		case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
			all = append(all, DiffLine{'-', ma[i]})
			i++
		default:
			all = append(all, DiffLine{'+', mb[j]})
			j++
		}
	}
	for _, l := range a[len(a)-suf:] {
		all = append(all, DiffLine{' ', l})
	}
	if context < 0 {
		return all
	}
	keep := make([]bool, len(all))
	for k, l := range all {
		if l.Op != ' ' {
			for x := max(0, k-context); x <= min(len(all)-1, k+context); x++ {
				keep[x] = true
			}
		}
	}
	var out []DiffLine
	for k, l := range all {
		if keep[k] {
			if len(out) > 0 && k > 0 && !keep[k-1] {
				out = append(out, DiffLine{'@', "…"})
			}
			out = append(out, l)
		}
	}
	return out
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
