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
