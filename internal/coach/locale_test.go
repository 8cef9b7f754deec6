package coach

import (
	"strings"
	"testing"
)

// The agent's interface language sets the message, the labels and the positives; the one-click
// rewrite stays in the reply's language.
func TestLocaleMessages(t *testing.T) {
	text := "Hej Jonas,\nDet er jeg ked af at høre. Du kan prøve at genstarte routeren. Men vi kan ikke sende en ny, før du har tastet adressen forkert igen.\nVenlig hilsen\nSofie"
	da := Default().Lint(text, Options{Lang: "da"})
	en := Default().Lint(text, Options{Lang: "da", Locale: "en"})
	if len(da.Findings) == 0 || len(da.Findings) != len(en.Findings) {
		t.Fatalf("same findings whatever the locale: %d vs %d", len(da.Findings), len(en.Findings))
	}
	for i, f := range en.Findings {
		g := da.Findings[i]
		if f.Rule != g.Rule || f.Start != g.Start || f.End != g.End {
			t.Errorf("finding %d differs by locale: %+v vs %+v", i, f, g)
		}
		if f.Message == g.Message {
			t.Errorf("%s: message not translated: %q", f.Rule, f.Message)
		}
		for j, s := range f.Suggestions {
			if (s.Replace == nil) != (g.Suggestions[j].Replace == nil) || (s.Replace != nil && *s.Replace != *g.Suggestions[j].Replace) {
				t.Errorf("%s: rewrite changed with the locale: %v vs %v", f.Rule, s.Replace, g.Suggestions[j].Replace)
			}
		}
	}
	want := map[string]string{
		RuleWeakWord: "is a weak word", RuleNoBut: "starts with 'Men'", RuleBlame: "puts the fault on the customer",
	}
	for _, f := range en.Findings {
		if w, ok := want[f.Rule]; ok && !strings.Contains(f.Message, w) {
			t.Errorf("%s: English message %q lacks %q", f.Rule, f.Message, w)
		}
		if f.Rule == RuleWeakWord && !strings.HasPrefix(f.Suggestions[0].Label, "Give the step as an instruction: 'genstarte'") {
			t.Errorf("weak-word label: %q (English label, Danish rewrite)", f.Suggestions[0].Label)
		}
	}
	if len(en.Positives) == 0 || en.Positives[0].Label != "You acknowledge the customer's situation up front" {
		t.Errorf("positives in English: %+v", en.Positives)
	}
	// an English reply for a Danish-interface agent
	res := Default().Lint("Hi Sam,\nSorry to hear that. But we cannot refund it.\nBest,\nAmy", Options{Lang: "en", Locale: "da"})
	for _, f := range res.Findings {
		if f.Rule == RuleNoBut && !strings.Contains(f.Message, "'But' eller 'However'") {
			t.Errorf("Danish message for an English reply: %q", f.Message)
		}
	}
}

// Every pack has every rule's text in every interface language the coach offers.
func TestEveryLocaleHasEveryMessage(t *testing.T) {
	c := Default()
	if got := strings.Join(c.Locales(), ","); !strings.HasPrefix(got, "da,en") {
		t.Fatalf("locales %s: want da and en first", got)
	}
	for _, lang := range c.Langs() {
		for _, loc := range c.Locales() {
			tx := c.packs[lang].textsFor(loc)
			for _, id := range ruleIDs {
				r := tx.rules[id]
				if r == nil || r.Message == "" || r.Suggestion == "" {
					t.Errorf("%s pack, locale %s, %s: missing message or suggestion", lang, loc, id)
				}
			}
			if n, want := len(tx.rules[RuleWeakWord].Entries), len(c.packs[lang].p.Rules[RuleWeakWord].Entries); n != want {
				t.Errorf("%s/%s: %d weak-word labels for %d entries", lang, loc, n, want)
			}
		}
	}
}
