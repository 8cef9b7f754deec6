package search

import "strings"

// Segment is a piece of a snippet; Hit marks a matching word. The text is plain, never HTML:
// whoever shows it escapes it.
type Segment struct {
	Text string
	Hit  bool
}

// Matcher tells which words of a text a query matches, the way the index does: by stem for words,
// exactly for phrases, by beginning for prefixes.
type Matcher struct {
	stems    map[string]bool
	firsts   map[byte]bool // the first bytes of stems: a word can only stem to a stem it starts like
	exact    map[string]bool
	prefixes []string
	seen     map[[2]string]bool // (word, language) → matches, so a page stems each word once
}

// NewMatcher prepares q for matching text in any of langs.
func NewMatcher(q Query, langs []string) Matcher {
	m := Matcher{stems: map[string]bool{}, firsts: map[byte]bool{}, exact: map[string]bool{}, seen: map[[2]string]bool{}}
	for _, t := range q.Terms {
		for _, w := range t.Words {
			switch {
			case t.Prefix:
				m.prefixes = append(m.prefixes, w)
			case t.Phrase:
				m.exact[w] = true
			case t.Open:
				m.prefixes = append(m.prefixes, w)
				fallthrough
			default:
				for _, s := range Stems(w, langs) {
					m.stems[s], m.firsts[s[0]] = true, true
				}
			}
		}
	}
	return m
}

// Empty reports whether the matcher matches nothing.
func (m Matcher) Empty() bool { return len(m.stems) == 0 && len(m.exact) == 0 && len(m.prefixes) == 0 }

// Hits returns the tokens of text, in a text of language lang, that the query matches.
func (m Matcher) Hits(text, lang string) []Token {
	var hits []Token
	for _, t := range Tokens(text) {
		if m.matches(t.Word, lang) {
			hits = append(hits, t)
		}
	}
	return hits
}

func (m Matcher) matches(word, lang string) bool {
	if m.exact[word] {
		return true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(word, p) {
			return true
		}
	}
	// Snowball only changes the ends of words, so a stem starts with the word's first letter.
	if !m.firsts[word[0]] {
		return false
	}
	key := [2]string{word, lang}
	hit, ok := m.seen[key]
	if !ok {
		hit = m.stems[Stem(word, lang)]
		m.seen[key] = hit
	}
	return hit
}

// Snippet cuts about width bytes of text around its first hit and marks every hit in it.
// With no hits it is the text's beginning.
func Snippet(text string, hits []Token, width int) []Segment {
	text = strings.Join(strings.Fields(text), " ")
	// Offsets changed with the spaces, so find the hits again in the tidied text.
	var words []Token
	if len(hits) > 0 {
		want := map[string]bool{}
		for _, h := range hits {
			want[h.Word] = true
		}
		for _, t := range Tokens(text) {
			if want[t.Word] {
				words = append(words, t)
			}
		}
	}
	start := 0
	if len(words) > 0 && words[0].Start > width/4 {
		start = wordStart(text, words[0].Start-width/4)
	}
	end := len(text)
	if end-start > width {
		end = wordEnd(text, start+width)
	}
	var out []Segment
	if start > 0 {
		out = append(out, Segment{Text: "… "})
	}
	at := start
	for _, w := range words {
		if w.Start < start || w.End > end {
			continue
		}
		if w.Start > at {
			out = append(out, Segment{Text: text[at:w.Start]})
		}
		out = append(out, Segment{Text: text[w.Start:w.End], Hit: true})
		at = w.End
	}
	if at < end {
		out = append(out, Segment{Text: text[at:end]})
	}
	if end < len(text) {
		out = append(out, Segment{Text: " …"})
	}
	return out
}

// wordStart moves i forward to the start of a word (never into the middle of a letter).
func wordStart(text string, i int) int {
	if sp := strings.IndexByte(text[i:], ' '); sp >= 0 && sp < 20 {
		return i + sp + 1
	}
	for i < len(text) && !isBoundary(text, i) {
		i++
	}
	return i
}

// wordEnd moves i back to the end of a word.
func wordEnd(text string, i int) int {
	if sp := strings.LastIndexByte(text[:i], ' '); sp > 0 && i-sp < 20 {
		return sp
	}
	for i > 0 && !isBoundary(text, i) {
		i--
	}
	return i
}

func isBoundary(text string, i int) bool { return i == 0 || i == len(text) || text[i]&0xC0 != 0x80 }
