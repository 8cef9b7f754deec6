// Package search is the text side of ticket search, shared by indexing and querying: one tokenizer,
// Snowball stemming for Danish, Norwegian, Swedish and English, the query syntax people type, and
// snippets. It knows nothing of databases: internal/store turns its output into SQL.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Token is one word of a text: where it stands (byte offsets into the text) and its lower-case form.
type Token struct {
	Start, End int
	Word       string
}

// Tokens splits text into words. A word is a run of letters, digits and combining marks, so æ, ø, å,
// ä, ö and é are letters like any other; everything else separates words. Words are lower-cased and
// composed (NFC), so "é" typed as e + accent is the same word as "é". Indexing and queries both
// split text here, which is what makes them agree.
func Tokens(text string) []Token {
	var out []Token
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, token(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token(text, start, len(text)))
	}
	return out
}

func token(text string, start, end int) Token {
	return Token{Start: start, End: end, Word: norm.NFC.String(strings.ToLower(text[start:end]))}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// Words is Tokens without the offsets.
func Words(text string) []string {
	toks := Tokens(text)
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.Word
	}
	return words
}
