package coach

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// heldoutPath holds replies written apart from the engine's tuning (issue 11): a measurement, not a gate.
const heldoutPath = "testdata/heldout-replies.jsonl"

// heldoutLangs and heldoutMinPerLang are the set's shape: 30 replies per language, half of them clean.
var heldoutLangs = []string{"da", "nb", "sv", "en"}

const heldoutMinPerLang = 30

// TestHeldout lints the held-out set as production does (language "auto") and logs per-rule and
// per-language figures and every mismatch. It fails only when the set itself is broken.
func TestHeldout(t *testing.T) {
	items := loadJSONL(t, heldoutPath)
	notes, err := readNotes(heldoutPath)
	if err != nil {
		t.Fatalf("%s: %v", heldoutPath, err)
	}
	if err := validateHeldout(items, notes); err != nil {
		t.Fatalf("%s: %v", heldoutPath, err)
	}
	t.Log(measureHeldout(t, items))
}

// TestHeldoutValidation: the shape checks reject each kind of broken set and accept a good one.
func TestHeldoutValidation(t *testing.T) {
	good := func() ([]corpusItem, map[string]string) {
		var items []corpusItem
		notes := map[string]string{}
		for _, lang := range heldoutLangs {
			for i := 0; i < heldoutMinPerLang; i++ {
				it := corpusItem{ID: fmt.Sprintf("%s-%d", lang, i), Lang: lang, Text: "tekst"}
				if i%2 == 1 {
					it.Labels = []string{RuleBlame}
				}
				items = append(items, it)
				notes[it.ID] = "why"
			}
		}
		return items, notes
	}
	if items, notes := good(); validateHeldout(items, notes) != nil {
		t.Fatalf("a well-formed set is rejected: %v", validateHeldout(items, notes))
	}
	cases := map[string]func([]corpusItem, map[string]string) []corpusItem{
		"too few in one language": func(it []corpusItem, _ map[string]string) []corpusItem { return it[1:] },
		"too few clean": func(it []corpusItem, _ map[string]string) []corpusItem {
			it[0].Labels = []string{RuleWeakWord}
			return it
		},
		"unknown language": func(it []corpusItem, _ map[string]string) []corpusItem { it[3].Lang = "de"; return it },
		"duplicate id":     func(it []corpusItem, _ map[string]string) []corpusItem { it[5].ID = it[4].ID; return it },
		"empty text":       func(it []corpusItem, _ map[string]string) []corpusItem { it[2].Text = " "; return it },
		"unknown rule":     func(it []corpusItem, _ map[string]string) []corpusItem { it[1].Labels = []string{"rude"}; return it },
		"suggestion rule labelled": func(it []corpusItem, _ map[string]string) []corpusItem {
			it[1].Labels = []string{RuleGreeting}
			return it
		},
		"label twice": func(it []corpusItem, _ map[string]string) []corpusItem {
			it[1].Labels = []string{RuleBlame, RuleBlame}
			return it
		},
		"missing note": func(it []corpusItem, n map[string]string) []corpusItem { delete(n, it[7].ID); return it },
		"empty set":    func([]corpusItem, map[string]string) []corpusItem { return nil },
	}
	for name, breakIt := range cases {
		items, notes := good()
		if err := validateHeldout(breakIt(items, notes), notes); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// scoredRules: the rules the evaluation counts (error and warning by default; suggestions never).
func scoredRules() map[string]bool {
	out := map[string]bool{}
	for _, id := range ruleIDs {
		if s := defaultSeverity[id]; s == SevError || s == SevWarning {
			out[id] = true
		}
	}
	return out
}

// readNotes maps each line's id to its "note" (the labeller's reason), which loadJSONL drops.
func readNotes(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	notes := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var line struct{ ID, Note string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		notes[line.ID] = line.Note
	}
	return notes, sc.Err()
}

// validateHeldout checks the set's shape: known languages and rules, unique ids, a note on every
// reply, at least heldoutMinPerLang replies per language and at least half of them clean.
func validateHeldout(items []corpusItem, notes map[string]string) error {
	scored := scoredRules()
	seen := map[string]bool{}
	total, clean := map[string]int{}, map[string]int{}
	for _, lang := range heldoutLangs {
		total[lang] = 0
	}
	for _, it := range items {
		if it.ID == "" || seen[it.ID] {
			return fmt.Errorf("id %q is empty or repeated", it.ID)
		}
		seen[it.ID] = true
		if _, ok := total[it.Lang]; !ok {
			return fmt.Errorf("%s: lang %q is not one of %v", it.ID, it.Lang, heldoutLangs)
		}
		if strings.TrimSpace(it.Text) == "" {
			return fmt.Errorf("%s: empty text", it.ID)
		}
		if strings.TrimSpace(notes[it.ID]) == "" {
			return fmt.Errorf("%s: no note saying why it is labelled so", it.ID)
		}
		labelled := map[string]bool{}
		for _, l := range it.Labels {
			if !scored[l] || labelled[l] {
				return fmt.Errorf("%s: label %q is not a scored rule id, or is repeated", it.ID, l)
			}
			labelled[l] = true
		}
		total[it.Lang]++
		if len(it.Labels) == 0 {
			clean[it.Lang]++
		}
	}
	for _, lang := range heldoutLangs {
		if total[lang] < heldoutMinPerLang {
			return fmt.Errorf("%s: %d replies, want at least %d", lang, total[lang], heldoutMinPerLang)
		}
		if 2*clean[lang] < total[lang] {
			return fmt.Errorf("%s: %d of %d replies are clean, want at least half", lang, clean[lang], total[lang])
		}
	}
	return nil
}

// measureHeldout lints every reply and returns the per-rule and per-language tables; it logs each
// mismatch by id and rule only, so the texts stay out of test logs that a tuner might read.
func measureHeldout(t *testing.T, items []corpusItem) string {
	c := Default()
	scored := scoredRules()
	per := map[string]*prf{}
	perLang := map[string]*prf{}
	for id := range scored {
		per[id] = &prf{}
	}
	for _, lang := range heldoutLangs {
		perLang[lang] = &prf{}
	}
	ids := make([]string, 0, len(scored))
	for id := range scored {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var micro prf
	langOK := 0
	for _, it := range items {
		res := c.Lint(it.Text, Options{Lang: "auto"})
		checkResult(t, it.Text, res)
		if res.Lang == it.Lang {
			langOK++
		}
		got := firedRules(res)
		want := map[string]bool{}
		for _, l := range it.Labels {
			want[l] = true
		}
		for _, id := range ids {
			switch {
			case got[id] && want[id]:
				per[id].tp++
				perLang[it.Lang].tp++
				micro.tp++
			case got[id]:
				per[id].fp++
				perLang[it.Lang].fp++
				micro.fp++
				t.Logf("%s %s FP", it.ID, id)
			case want[id]:
				per[id].fn++
				perLang[it.Lang].fn++
				micro.fn++
				t.Logf("%s %s FN", it.ID, id)
			}
		}
	}
	var b strings.Builder
	row := func(name string, p prf) {
		pr, rc, f1 := p.scores()
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.2f | %.2f | %.2f |\n", name, p.tp, p.fp, p.fn, pr, rc, f1)
	}
	fmt.Fprintf(&b, "\nheld-out set: %d replies, language detected right on %d\n", len(items), langOK)
	fmt.Fprintf(&b, "\n| rule | TP | FP | FN | precision | recall | F1 |\n|---|---|---|---|---|---|---|\n")
	for _, id := range ids {
		row(id, *per[id])
	}
	row("**micro**", micro)
	fmt.Fprintf(&b, "\n| language | TP | FP | FN | precision | recall | F1 |\n|---|---|---|---|---|---|---|\n")
	for _, lang := range heldoutLangs {
		row(lang, *perLang[lang])
	}
	return b.String()
}
