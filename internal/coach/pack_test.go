package coach

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestParsePackErrorsNameFileRuleField(t *testing.T) {
	base, err := DefaultPackBytes("da")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to string
		want           []string
	}{
		{"severity", "  blame:\n    severity: error", "  blame:\n    severity: fatal", []string{"custom.yaml", "rules.blame.severity", "fatal"}},
		{"unknown class", `      - "@you burde"`, `      - "@nobody burde"`, []string{"custom.yaml", "rules.blame.patterns[", "unknown class @nobody"}},
		{"unknown field", "    window: 2", "    windw: 2", []string{"custom.yaml", "windw"}},
		{"unknown rule", "  short-reply:\n", "  short-replies:\n", []string{"custom.yaml", "short-replies"}},
		{"bad gap", `      - "@freq ~4 @cause"`, `      - "@freq ~99 @cause"`, []string{"custom.yaml", "rules.assumption.patterns[", "gap"}},
		{"bad action", "        action: remove", "        action: delete", []string{"custom.yaml", "rules.weak-word.entries[1].action"}},
		{"lang", "lang: da", "lang: de", []string{"custom.yaml", "lang"}},
		{"unknown paradigm", "[prøve/verb]", "[prøve/verbum]", []string{"custom.yaml", "rules.weak-word.entries[0].words[0]", "unknown paradigm \"verbum\""}},
		{"explanation locale", "explanations:\n  en:", "explanations:\n  fr:", []string{"custom.yaml", "explanations.fr"}},
		{"explanation rule", "      blame:\n        message: \"'{text}' puts", "      blames:\n        message: \"'{text}' puts", []string{"custom.yaml", "explanations.en.rules.blames"}},
	}
	for _, tc := range cases {
		src := string(base)
		if !strings.Contains(src, tc.from) {
			t.Fatalf("%s: fixture %q not in da.yaml", tc.name, tc.from)
		}
		data := strings.Replace(src, tc.from, tc.to, 1)
		p, err := ParsePack("custom.yaml", []byte(data))
		if err == nil {
			_, err = New(p)
		}
		if err == nil {
			t.Errorf("%s: accepted a malformed pack", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tc.name, err, w)
			}
		}
	}
}

// A pack loaded from bytes (as the admin screens will) replaces the built-in one.
func TestCustomPackFromBytes(t *testing.T) {
	base, _ := DefaultPackBytes("da")
	data := strings.Replace(string(base), "    threshold: 25\n", "    threshold: 3\n", 1)
	data = strings.Replace(data, "acronyms: [", "acronyms: [KUN, IKKE, ", 1)
	data = strings.Replace(data, `version: "2026.11.1"`, `version: "custom-7"`, 1)
	custom, err := ParsePack("db:da", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	packs, _ := DefaultPacks()
	c, err := New(append(packs, custom)...)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Lint("Hej Bo,\nDet er jeg ked af. Koden er KUN gyldig i dag og IKKE i morgen.\nMvh\nJonas", Options{Lang: "da"})
	for _, f := range res.Findings {
		if f.Rule == RuleShortReply || f.Rule == RuleEscalation {
			t.Errorf("custom settings ignored: %s on %q", f.Rule, f.Text)
		}
	}
	if !strings.HasPrefix(res.PackVersion, "da-custom-7+") {
		t.Errorf("pack version %q", res.PackVersion)
	}
}

func TestDisabledRule(t *testing.T) {
	base, _ := DefaultPackBytes("da")
	data := strings.Replace(string(base), "  blame:\n    severity: error\n", "  blame:\n    enabled: false\n    severity: error\n", 1)
	p, err := ParsePack("x.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := New(p)
	res := c.Lint("Hej Tobias,\nDu har tastet adressen forkert.", Options{Lang: "da"})
	for _, f := range res.Findings {
		if f.Rule == RuleBlame {
			t.Errorf("disabled rule fired")
		}
	}
}

func TestReplaceSerialisation(t *testing.T) {
	res := Default().Lint("Hej Birgitte,\nDet er jeg ked af. Du kan måske genstarte telefonen.", Options{Lang: "da"})
	b, _ := json.Marshal(res)
	s := string(b)
	if !strings.Contains(s, `"text":"måske"`) || !strings.Contains(s, `"replace":""`) {
		t.Errorf("removal must serialise as \"replace\":\"\": %s", s)
	}
	// advice-only suggestions carry no replace key at all
	res = Default().Lint("Hej,\nJeg tror, det virker nu.", Options{Lang: "da"})
	for _, f := range res.Findings {
		if f.Rule == RuleWeakWord {
			b, _ := json.Marshal(f)
			if strings.Contains(string(b), "replace") {
				t.Errorf("advice-only suggestion has replace: %s", b)
			}
		}
	}
}

func TestMechanicalSuggestions(t *testing.T) {
	cases := []struct{ lang, text, span, replace string }{
		{"da", "Hej,\nDet er jeg ked af. Prøv at trykke på Gem.", "Prøv at trykke", "Tryk"},
		{"da", "Hej,\nDet er jeg ked af. Men du kan opsige det i appen.", "Men du kan opsige det i appen.", "Du kan opsige det i appen."},
		{"da", "Hej,\nDet er jeg ked af. Kan du sende mig et billede af skaden?", "Kan du sende mig et billede af skaden?", "Send mig et billede af skaden."},
		{"nb", "Hei,\nDet er jeg lei meg for. Prøv å logge ut og inn igjen.", "Prøv å logge", "Logg"},
		{"sv", "Hej,\nJag beklagar det. Prova att starta om routern.", "Prova att starta", "Starta"},
		{"en", "Hi,\nI'm sorry about that. Could you send me a photo of the label?", "Could you send me a photo of the label?", "Please send me a photo of the label."},
		{"en", "Hi,\nI'm sorry about that. Perhaps you could check the cable.", "Perhaps you", "You"},
		{"da", "Hej,\nDet er jeg ked af. Hvis nu pakken ikke kommer, så skriv.", "Hvis nu", "Hvis"},
	}
	for _, tc := range cases {
		res := Default().Lint(tc.text, Options{Lang: tc.lang})
		ok := false
		for _, f := range res.Findings {
			for _, s := range f.Suggestions {
				if f.Text == tc.span && s.Replace != nil && *s.Replace == tc.replace {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("%q: want %q → %q, got %+v", tc.text, tc.span, tc.replace, res.Findings)
		}
	}
}

func TestEmptyAndScore(t *testing.T) {
	for _, s := range []string{"", "   \n\t"} {
		res := Default().Lint(s, Options{})
		if res.Score != 100 || len(res.Findings) != 0 || res.Lang != "da" {
			t.Errorf("%q: %+v", s, res)
		}
	}
	clean := Default().Lint(loadCorpus(t)[0].Text, Options{})
	if clean.Score != 100 {
		t.Errorf("clean reply scored %d", clean.Score)
	}
	if Score([]Finding{{Rule: "blame", Severity: SevError}}, nil) != 85 {
		t.Errorf("one error should cost 15")
	}
}

func TestValidLang(t *testing.T) {
	for _, l := range []string{"", "auto", "da", "nb", "sv", "en"} {
		if !ValidLang(l) {
			t.Errorf("%q rejected", l)
		}
	}
	for _, l := range []string{"de", "no", "DA", "dk"} {
		if ValidLang(l) {
			t.Errorf("%q accepted", l)
		}
	}
}

// The coach is shared by every request: run it from many goroutines (go test -race).
func TestConcurrentUse(t *testing.T) {
	c := Default()
	items := loadCorpus(t)
	want := make([]Result, len(items))
	for i, it := range items {
		want[i] = c.Lint(it.Text, Options{})
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 3; k++ {
				for i, it := range items {
					got := c.Lint(it.Text, Options{})
					if got.Score != want[i].Score || len(got.Findings) != len(want[i].Findings) {
						t.Errorf("goroutine %d: %s differs", g, it.ID)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
}
