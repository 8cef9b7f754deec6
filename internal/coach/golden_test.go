package coach

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins the full result (spans, messages, suggestions, score) of a few replies per
// language, so a change to a pack or a mechanism shows up as a readable diff.
// Regenerate with: go test ./internal/coach -run TestGolden -update
func TestGolden(t *testing.T) {
	ids := map[string]bool{"dev-004": true, "dev-025": true, "dev-032": true, "dev-037": true, "dev-053": true,
		"dev-061": true, "dev-063": true, "dev-066": true, "dev-067": true, "dev-069": true}
	for _, it := range loadCorpus(t) {
		if !ids[it.ID] {
			continue
		}
		res := Default().Lint(it.Text, Options{})
		res.PackVersion = "" // changes with every pack edit; the findings are what is pinned
		got, err := json.MarshalIndent(struct {
			Text   string `json:"text"`
			Result Result `json:"result"`
		}{it.Text, res}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", "golden", it.ID+".json")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: result changed; diff testdata/golden/%s.json against:\n%s", it.ID, it.ID, got)
		}
	}
}
