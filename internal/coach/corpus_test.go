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

type corpusItem struct {
	ID     string   `json:"id"`
	Lang   string   `json:"lang"`
	Text   string   `json:"text"`
	Labels []string `json:"labels"`
}

// corpusPath prefers the shared corpus (the newest labels) and falls back to the copy in testdata.
func loadCorpus(t testing.TB) []corpusItem {
	t.Helper()
	path := "testdata/dev-replies.jsonl"
	if p := os.Getenv("COACH_CORPUS"); p != "" {
		path = p
	}
	return loadJSONL(t, path)
}

func loadJSONL(t testing.TB, path string) []corpusItem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	var items []corpusItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it corpusItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("corpus line: %v", err)
		}
		items = append(items, it)
	}
	return items
}

type prf struct{ tp, fp, fn int }

func (p prf) scores() (prec, rec, f1 float64) {
	prec, rec = 1, 1
	if p.tp+p.fp > 0 {
		prec = float64(p.tp) / float64(p.tp+p.fp)
	}
	if p.tp+p.fn > 0 {
		rec = float64(p.tp) / float64(p.tp+p.fn)
	}
	if prec+rec > 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	return
}

// firedRules: the set of error/warning rules that fired (suggestions never count).
func firedRules(r Result) map[string]bool {
	out := map[string]bool{}
	for _, f := range r.Findings {
		if f.Severity == SevError || f.Severity == SevWarning {
			out[f.Rule] = true
		}
	}
	return out
}

// TestCorpus lints the labelled corpus (language detected, as in production) and fails when a
// rule's F1 drops below 0.9 or the micro-F1 below 0.95.
func TestCorpus(t *testing.T) { evalCorpus(t, loadCorpus(t)) }

// TestExtraReplies runs the same evaluation on replies written apart from the dev corpus
// (more nb, sv and en; labels by the same conventions).
func TestExtraReplies(t *testing.T) { evalCorpus(t, loadJSONL(t, "testdata/extra-replies.jsonl")) }

func evalCorpus(t *testing.T, items []corpusItem) {
	c := Default()
	per := map[string]*prf{}
	for _, id := range ruleIDs {
		per[id] = &prf{}
	}
	var micro prf
	for _, it := range items {
		res := c.Lint(it.Text, Options{Lang: "auto"})
		checkResult(t, it.Text, res)
		got := firedRules(res)
		want := map[string]bool{}
		for _, l := range it.Labels {
			want[l] = true
		}
		for _, id := range ruleIDs {
			switch {
			case got[id] && want[id]:
				per[id].tp++
				micro.tp++
			case got[id]:
				per[id].fp++
				micro.fp++
				t.Logf("%s: false positive %s: %s", it.ID, id, spans(res, id))
			case want[id]:
				per[id].fn++
				micro.fn++
				t.Logf("%s: missed %s", it.ID, id)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| rule | TP | FP | FN | precision | recall | F1 |\n|---|---|---|---|---|---|---|\n")
	ids := append([]string(nil), ruleIDs...)
	sort.Strings(ids)
	for _, id := range ids {
		p := per[id]
		if p.tp+p.fp+p.fn == 0 {
			continue
		}
		pr, rc, f1 := p.scores()
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.2f | %.2f | %.2f |\n", id, p.tp, p.fp, p.fn, pr, rc, f1)
		if f1 < 0.9 {
			t.Errorf("rule %s: F1 %.2f < 0.90", id, f1)
		}
	}
	pr, rc, f1 := micro.scores()
	fmt.Fprintf(&b, "| **micro** | %d | %d | %d | %.3f | %.3f | %.3f |\n", micro.tp, micro.fp, micro.fn, pr, rc, f1)
	t.Log(b.String())
	if f1 < 0.95 {
		t.Errorf("micro-F1 %.3f < 0.95", f1)
	}
}

func spans(r Result, id string) string {
	var s []string
	for _, f := range r.Findings {
		if f.Rule == id {
			s = append(s, fmt.Sprintf("%q", f.Text))
		}
	}
	return strings.Join(s, ", ")
}

// TestLanguageDetection reports detection accuracy on the corpus's lang field (fails under 95%).
func TestLanguageDetection(t *testing.T) {
	c := Default()
	items := loadCorpus(t)
	ok := 0
	for _, it := range items {
		got := c.DetectLanguage(it.Text)
		if got == it.Lang {
			ok++
		} else {
			t.Logf("%s: detected %s, labelled %s", it.ID, got, it.Lang)
		}
	}
	acc := float64(ok) / float64(len(items))
	t.Logf("language detection: %d/%d = %.1f%%", ok, len(items), 100*acc)
	if acc < 0.95 {
		t.Errorf("language detection accuracy %.1f%% < 95%%", 100*acc)
	}
}
