package coach

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind says what a token is; only words take part in phrase matching.
type tokKind uint8

const (
	tkWord tokKind = iota
	tkNumber
	tkURL
	tkEmail
	tkPunct
)

// Token flags computed once while scanning, so rules never re-decode text.
const (
	flUpper    uint8 = 1 << iota // first letter is upper case
	flAllCaps                    // every letter upper case and no digit
	flAbbr                       // abbreviation that swallowed its period
	flTermAbbr                   // abbreviation that may also end a sentence (kr., osv.)
	flDigit                      // contains a digit
	flQuoted                     // inside quotation marks: the customer's words, not the agent's
)

// token is a span of the original text; offsets are bytes, always on rune boundaries.
type token struct {
	start, end int32
	fa, fb     int32 // folded form in doc.fold
	ida, idb   int32 // matcher ids in doc.ids
	letters    int16 // number of letters (for the caps rule)
	nl         uint8 // line breaks between the previous token and this one (capped)
	kind       tokKind
	flags      uint8
}

// abbrevSet is the union of all packs' abbreviations, so tokenizing needs no language.
type abbrevSet struct {
	plain    map[string]bool // f.eks., e.g.: never end a sentence
	terminal map[string]bool // kr., osv.: end one when a capital follows
	numeric  map[string]bool // no., nr.: only before a number
}

func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// tokenize splits text into tokens; it never fails and never allocates per token beyond the slice.
func tokenize(text string, ab *abbrevSet, toks []token) []token {
	n := len(text)
	nl := 0
	i := 0
	var low [64]byte
	for i < n {
		c := text[i]
		if c < utf8.RuneSelf && isSpaceByte(c) {
			if c == '\n' {
				nl++
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if r == '\u00a0' || r == '\u2028' || r == '\u2029' || (r != utf8.RuneError && unicode.IsSpace(r)) {
			if r == '\u2028' || r == '\u2029' {
				nl++
			}
			i += w
			continue
		}
		t := token{start: int32(i), nl: uint8(min(nl, 255))}
		nl = 0
		switch {
		case isWordRune(r):
			if unicode.IsDigit(r) {
				t.kind = tkNumber
				t.end = int32(scanNumber(text, i))
			} else {
				t.kind = tkWord
				t.end = int32(scanWord(text, i))
			}
			// only a word followed by one of these can be the start of a URL or an e-mail address
			if e := int(t.end); e < n && mayContinueSpecial(text[e]) {
				if end, kind := scanChunkSpecial(text, i); kind == tkURL || kind == tkEmail {
					t.end, t.kind = int32(end), kind
					break
				}
			}
			scanFlags(text, &t)
			// An abbreviation swallows its period; the folded lookup uses a small stack buffer.
			e := int(t.end)
			if e < n && text[e] == '.' && t.kind == tkWord {
				seg := text[i : e+1]
				key := lowerInto(low[:0], seg)
				switch {
				case ab.plain[string(key)]:
					t.end++
					t.flags |= flAbbr
				case ab.terminal[string(key)]:
					t.end++
					t.flags |= flAbbr | flTermAbbr
				case ab.numeric[string(key)] && nextIsDigit(text, e+1):
					t.end++
					t.flags |= flAbbr
				}
			}
			if t.kind == tkWord && t.flags&(flAbbr|flDigit) == 0 && strings.IndexByte(text[i:t.end], '.') >= 0 {
				// a dotted word that is no known abbreviation and no version (v2.3.1) is a bare domain name
				t.kind = tkURL
			}
		default:
			t.kind = tkPunct
			j := i + w
			if r == '!' || r == '?' || r == '.' {
				for j < n && (text[j] == '!' || text[j] == '?' || text[j] == '.') {
					j++
				}
			}
			t.end = int32(j)
		}
		if t.end <= t.start { // defensive: always make progress
			t.end = t.start + int32(w)
		}
		toks = append(toks, t)
		i = int(t.end)
	}
	return toks
}

func mayContinueSpecial(b byte) bool {
	switch b {
	case ':', '@', '_', '%', '+', '/':
		return true
	}
	return false
}

// scanChunkSpecial recognises URLs and e-mail addresses starting at i.
func scanChunkSpecial(text string, i int) (int, tokKind) {
	j := i
	for j < len(text) && !isSpaceByte(text[j]) {
		j++
	}
	chunk := text[i:j]
	if hasPrefixFold(chunk, "http://") || hasPrefixFold(chunk, "https://") || hasPrefixFold(chunk, "www.") {
		return i + len(trimTrailingPunct(chunk)), tkURL
	}
	if at := strings.IndexByte(chunk, '@'); at > 0 {
		k := i
		for k < j && isEmailByte(text[k]) {
			k++
		}
		e := text[i:k]
		if a := strings.IndexByte(e, '@'); a > 0 && strings.IndexByte(e[a:], '.') > 1 {
			e = strings.TrimRight(e, ".-")
			return i + len(e), tkEmail
		}
	}
	return i, tkWord
}

func isEmailByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '_' || b == '%' || b == '+' || b == '-' || b == '@'
}

func trimTrailingPunct(s string) string {
	for len(s) > 0 {
		switch s[len(s)-1] {
		case '.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '>':
			s = s[:len(s)-1]
			continue
		}
		break
	}
	return s
}

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

func nextIsDigit(text string, i int) bool {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	return i < len(text) && text[i] >= '0' && text[i] <= '9'
}

// scanWord reads letters with inner hyphens, apostrophes and dots (e-mail, SMS'er, bl.a).
func scanWord(text string, i int) int {
	n := len(text)
	for i < n {
		if c := text[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				i++
				continue
			}
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			i += w
			continue
		}
		if r == '-' || r == '\'' || r == '’' || r == '.' || r == '‐' {
			if i+w < n {
				r2, _ := utf8.DecodeRuneInString(text[i+w:])
				if isWordRune(r2) {
					i += w
					continue
				}
			}
		}
		break
	}
	return i
}

// scanNumber reads amounts, times, dates, versions and IPs (1.299,00 14:30 2024-03-12 2 140 10GB).
func scanNumber(text string, i int) int {
	n := len(text)
	group := 0
	for i < n {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			group++
			i++
			continue
		case c == '.' || c == ',' || c == ':' || c == '/' || c == '-':
			if i+1 < n && text[i+1] >= '0' && text[i+1] <= '9' {
				i++
				group = 0
				continue
			}
		case c == ' ' && group > 0 && group <= 3:
			// thousands grouped by a space: exactly three digits, then no digit
			if i+4 <= n && isDigits(text[i+1:i+4]) && (i+4 == n || !(text[i+4] >= '0' && text[i+4] <= '9')) {
				i++
				group = 0
				continue
			}
		}
		break
	}
	// units glued to the number (4G, 10GB, 5kr)
	for i < n {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			break
		}
		i += w
	}
	return i
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scanFlags records case and digit facts of a word or number token.
func scanFlags(text string, t *token) {
	s := text[t.start:t.end]
	letters, upper := 0, 0
	first := true
	for j := 0; j < len(s); j++ {
		c := s[j]
		if c >= utf8.RuneSelf {
			letters, upper, first = 0, 0, true
			t.flags &^= flUpper | flDigit
			goto slow
		}
		switch {
		case '0' <= c && c <= '9':
			t.flags |= flDigit
		case 'a' <= c && c <= 'z':
			letters++
			first = false
		case 'A' <= c && c <= 'Z':
			letters++
			upper++
			if first {
				t.flags |= flUpper
			}
			first = false
		}
	}
	goto done
slow:
	for _, r := range s {
		if unicode.IsDigit(r) {
			t.flags |= flDigit
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if unicode.IsUpper(r) {
			upper++
			if first {
				t.flags |= flUpper
			}
		}
		first = false
	}
done:
	t.letters = int16(min(letters, 32767))
	if letters > 0 && upper == letters && t.flags&flDigit == 0 {
		t.flags |= flAllCaps
	}
}

// lowerInto case-folds s into dst (ASCII fast path) and normalises the typographic apostrophe.
func lowerInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == '’' || r == '‘' {
			dst = append(dst, '\'')
		} else if r == utf8.RuneError && w == 1 {
			dst = append(dst, s[i])
		} else {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += w
	}
	return dst
}
