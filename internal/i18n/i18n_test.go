package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"coachdesk/internal/coach"
)

// keys reads the message ids of every catalogue file of one locale.
func keys(t *testing.T, locale string) map[string]bool {
	t.Helper()
	areas, err := fs.Glob(catalogues, "locales/*/"+locale+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, path := range append([]string{"locales/" + locale + ".yaml"}, areas...) {
		b, err := catalogues.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for k := range m {
			if out[k] {
				t.Errorf("%s: %q is defined twice for %s", path, k, locale)
			}
			out[k] = true
		}
	}
	return out
}

func TestEveryLocaleHasTheSameMessages(t *testing.T) {
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
	da, en := keys(t, "da"), keys(t, "en")
	for k := range da {
		if !en[k] {
			t.Errorf("%q is in Danish but not in English", k)
		}
	}
	for k := range en {
		if !da[k] {
			t.Errorf("%q is in English but not in Danish", k)
		}
	}
}

// The templates name most messages literally; a typo there would show the id to people.
func TestTemplatesUseKnownMessages(t *testing.T) {
	da := keys(t, "da")
	literal := regexp.MustCompile(`\btf?\(ctx, "([a-z0-9_.-]+)"[,)]`)
	files, err := filepath.Glob("../../templates/*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	var missing []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			if !da[m[1]] {
				missing = append(missing, filepath.Base(f)+": "+m[1])
			}
		}
	}
	slices.Sort(missing)
	for _, m := range slices.Compact(missing) {
		t.Errorf("unknown message id in %s", m)
	}
}

// Rule names are looked up by id ("coach.rule." + id) wherever a finding is shown.
func TestEveryRuleHasAName(t *testing.T) {
	for _, locale := range Locales {
		have := keys(t, locale)
		for _, id := range coach.Rules() {
			if !have["coach.rule."+id] {
				t.Errorf("%s: no name for rule %s (coach.rule.%s)", locale, id, id)
			}
		}
	}
}
