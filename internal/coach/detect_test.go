package coach

import (
	"strings"
	"testing"
)

// TestDetectShortReplies: the spec asks to tell the four languages apart on replies of 15+
// words. Cut every labelled reply to its first 15 body words (no greeting, no sign-off, where
// most of the easy cues are) and detect; fail under 90 %.
func TestDetectShortReplies(t *testing.T) {
	items := append(loadCorpus(t), loadJSONL(t, "testdata/extra-replies.jsonl")...)
	ok := 0
	for _, it := range items {
		lines := strings.Split(it.Text, "\n")
		body := strings.Join(lines[1:max(1, len(lines)-2)], " ")
		words := strings.Fields(body)
		if len(words) > 15 {
			words = words[:15]
		}
		got := Default().DetectLanguage(strings.Join(words, " "))
		if got == it.Lang {
			ok++
		} else {
			t.Logf("%s: %q → %s, want %s", it.ID, strings.Join(words, " "), got, it.Lang)
		}
	}
	acc := float64(ok) / float64(len(items))
	t.Logf("15-word detection: %d/%d = %.1f%%", ok, len(items), 100*acc)
	if acc < 0.9 {
		t.Errorf("accuracy %.1f%% < 90%%", 100*acc)
	}
}

// TestDetectSharedSpellings: a word both Danish and Bokmål spell alike ("allerede") must not
// outvote the Danish-only spellings around it (ændre, indtil, afsendt vs endre, inntil, avsendt).
func TestDetectSharedSpellings(t *testing.T) {
	cases := []struct{ lang, text string }{
		{"da", "Du kan ændre adressen, indtil ordren er pakket. Er ordren allerede afsendt, kan adressen ikke ændres."},
		{"da", "Vi har allerede ændret din adgangskode, og du kan logge ind med den nye med det samme."},
		{"nb", "Du kan endre adressen inntil bestillingen er pakket. Er bestillingen allerede sendt, kan adressen ikke endres."},
		{"nb", "Jeg har allerede sendt deg en ny lenke, og den virker i 24 timer fra nå."},
	}
	for _, c := range cases {
		if got := Default().DetectLanguage(c.text); got != c.lang {
			t.Errorf("%q → %s, want %s", c.text, got, c.lang)
		}
	}
}
