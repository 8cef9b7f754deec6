package coach

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLint: arbitrary input (invalid UTF-8, control characters, huge texts) never panics, every
// span lies inside the text on rune boundaries, and results are deterministic.
func FuzzLint(f *testing.F) {
	for _, it := range loadCorpus(f) {
		f.Add(it.Text)
	}
	seeds := []string{"", " ", "\n\n\n", "Hej", "Men", "?", "!!", "f.eks.", "1.299,00 kr. Vi", "\xff\xfe\xfd", "Hej \x00 du\r\nMen\tdu har glemt!!",
		"HEJ DU HAR GLEMT DET!!! MEN MEN MEN", "a.b.c.d.e", "www.", "x@y.", "http://", "1. 2. 3.", "\"Men\" sagde du?", "Kære ,",
		strings.Repeat("du har glemt ", 2000), strings.Repeat("Men. ", 1000), strings.Repeat("é", 5000) + "\xc3"}
	for _, s := range seeds {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, text string) {
		for _, lang := range []string{"auto", "da", "nb", "sv", "en"} {
			opt := Options{Lang: lang}
			a := c.Lint(text, opt)
			b := c.Lint(text, opt)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: not deterministic", lang)
			}
			checkResult(t, text, a)
		}
	})
}

func checkResult(t *testing.T, text string, r Result) {
	t.Helper()
	if !ValidLang(r.Lang) || r.Lang == "" || r.Lang == "auto" {
		t.Fatalf("bad lang %q", r.Lang)
	}
	if r.Score < 0 || r.Score > 100 {
		t.Fatalf("score %d", r.Score)
	}
	bound := runeBounds(text)
	span := func(kind string, s, e int, got string) {
		if s < 0 || e < s || e > len(text) {
			t.Fatalf("%s: span %d..%d outside text of %d bytes", kind, s, e, len(text))
		}
		if !bound[s] || !bound[e] {
			t.Fatalf("%s: span %d..%d not on rune boundaries", kind, s, e)
		}
		if got != text[s:e] {
			t.Fatalf("%s: text %q != span %q", kind, got, text[s:e])
		}
	}
	for _, f := range r.Findings {
		span(f.Rule, f.Start, f.End, f.Text)
		if !f.Severity.valid() || f.Message == "" || f.Suggestions == nil {
			t.Fatalf("bad finding %+v", f)
		}
		for _, s := range f.Suggestions {
			if strings.Contains(s.Label, "{fix}") || strings.Contains(s.Label, "{text}") || strings.Contains(f.Message, "{text}") {
				t.Fatalf("unfilled placeholder in %+v", f)
			}
		}
	}
	for _, s := range r.Positives {
		span(s.Kind, s.Start, s.End, s.Text)
	}
}

// runeBounds marks every offset where decoding (as the coach does) starts a rune.
func runeBounds(s string) []bool {
	b := make([]bool, len(s)+1)
	for i := 0; i < len(s); {
		b[i] = true
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	b[len(s)] = true
	return b
}
