package search

import (
	"slices"
	"strings"
	"testing"
)

func TestTokensKeepNordicLetters(t *testing.T) {
	got := Words("Pakken blev leveret på Ærø – købt i Malmö, café (e\u0301) ORDRE-3004711!")
	want := []string{"pakken", "blev", "leveret", "på", "ærø", "købt", "i", "malmö", "café", "é", "ordre", "3004711"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	toks := Tokens("Hej Søren")
	if toks[1].Start != 4 || toks[1].End != len("Hej Søren") || toks[1].Word != "søren" {
		t.Errorf("offsets %+v", toks[1])
	}
}

func TestStemsMatchWordForms(t *testing.T) {
	for _, c := range []struct{ lang, a, b string }{
		{"da", "leveringen", "levering"},
		{"da", "pakkerne", "pakke"},
		{"da", "fakturaer", "fakturaen"},
		{"nb", "pakkene", "pakken"},
		{"nb", "leveringen", "levering"},
		{"sv", "paketen", "paket"},
		{"sv", "leveranser", "leveransen"},
		{"en", "packages", "package"},
		{"en", "refunded", "refunds"},
	} {
		if x, y := Stem(c.a, c.lang), Stem(c.b, c.lang); x != y {
			t.Errorf("%s: %q → %q but %q → %q", c.lang, c.a, x, c.b, y)
		}
	}
	if Stem("3004711", "da") != "3004711" || Stem("pakkerne", "xx") != "pakkerne" {
		t.Error("numbers and unknown languages must stay as they are")
	}
}

func TestParse(t *testing.T) {
	want := Query{
		Terms: []Term{{Words: []string{"levering"}}, {Words: []string{"ikke", "modtaget"}, Phrase: true}, {Words: []string{"pak"}, Prefix: true},
			{Words: []string{"anna", "firma", "dk"}, Phrase: true}, {Words: []string{"fakt"}, Open: true}},
		Exclude: []Term{{Words: []string{"faktura"}}, {Words: []string{"for", "sent"}, Phrase: true}},
		From:    []string{"anna@firma.dk"}, Tags: []string{"reklamation"}, Numbers: []int64{1042},
	}
	if got := Parse(`levering "ikke modtaget" -faktura -"for sent" pak* from:Anna@Firma.dk tag:Reklamation #1042 anna@firma.dk fakt`); !equalQuery(got, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", got, want)
	}
	// Syntax that is not ours is text; what is not text is nothing.
	for typed, words := range map[string][]string{
		`AND OR NOT (x) "`: {"and", "or", "not", "x"},
		`- # tag: from:`:   {"tag", "from"},
		`#abc -`:           {"abc"},
		`på`:               {"på"},
	} {
		var got []string
		for _, t := range Parse(typed).Terms {
			got = append(got, t.Words...)
		}
		if !slices.Equal(got, words) {
			t.Errorf("Parse(%q) words %q, want %q", typed, got, words)
		}
	}
	if Parse("på").Terms[0].Open || !Parse("fak").Terms[0].Open || Parse(`"fak"`).Terms[0].Open {
		t.Error("only an unquoted last word of three letters or more is open")
	}
}

func equalQuery(a, b Query) bool {
	eqTerms := func(x, y []Term) bool {
		return slices.EqualFunc(x, y, func(s, t Term) bool {
			return slices.Equal(s.Words, t.Words) && s.Phrase == t.Phrase && s.Prefix == t.Prefix && s.Open == t.Open
		})
	}
	return eqTerms(a.Terms, b.Terms) && eqTerms(a.Exclude, b.Exclude) && slices.Equal(a.From, b.From) &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Numbers, b.Numbers)
}

func TestSnippetMarksMatches(t *testing.T) {
	m := NewMatcher(Parse("leveringen på"), Languages)
	text := strings.Repeat("Indledning uden noget. ", 12) + "Din levering kommer på <fredag>, og Påsken er fri."
	segs := Snippet(text, m.Hits(text, "da"), 80)
	var all strings.Builder
	var hits []string
	for _, s := range segs {
		all.WriteString(s.Text)
		if s.Hit {
			hits = append(hits, s.Text)
		}
	}
	if !slices.Equal(hits, []string{"levering", "på"}) {
		t.Errorf("hits %q in %q", hits, all.String())
	}
	if !strings.HasPrefix(all.String(), "… ") || !strings.Contains(all.String(), "<fredag>") || len(all.String()) > 100 {
		t.Errorf("snippet %q", all.String())
	}
	if p := NewMatcher(Parse("pak*"), Languages); len(p.Hits("Pakken og pakkerne, ikke kapok", "da")) != 2 {
		t.Error("a prefix marks the words it begins")
	}
}
