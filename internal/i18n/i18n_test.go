package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
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
	literal := regexp.MustCompile(`\bt[fn]?\(ctx, "([a-z0-9_.-]+)"[,)]`)
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

// A count picks the message's plural form: "1 advarsel", never "1 advarsler".
func TestCountsPickThePluralForm(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string][2]string{
		"da": {"coaching.errors": {"1 fejl", "2 fejl"}, "coaching.warnings": {"1 advarsel", "2 advarsler"}, "coaching.suggestions": {"1 forslag", "2 forslag"}},
		"en": {"coaching.errors": {"1 error", "2 errors"}, "coaching.warnings": {"1 warning", "2 warnings"}, "coaching.suggestions": {"1 suggestion", "2 suggestions"}},
	}
	for locale, msgs := range want {
		l := b.For(locale)
		for id, forms := range msgs {
			for i, n := range []int{1, 2} {
				if got := l.TN(id, n); got != forms[i] {
					t.Errorf("%s %s with %d: got %q, want %q", locale, id, n, got, forms[i])
				}
			}
		}
	}
	if got := b.For("en").TN("coaching.warnings", 0); got != "0 warnings" {
		t.Errorf("none: got %q", got)
	}
}

// A message with plural forms has the same forms in every locale, and one that takes a count has them.
func TestPluralFormsMatch(t *testing.T) {
	forms := func(locale string) map[string][]string {
		out := map[string][]string{}
		paths, _ := fs.Glob(catalogues, "locales/*/"+locale+".yaml")
		for _, path := range append([]string{"locales/" + locale + ".yaml"}, paths...) {
			b, _ := catalogues.ReadFile(path)
			var m map[string]any
			if err := yaml.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			for k, v := range m {
				switch v := v.(type) {
				case map[string]any:
					for f := range v {
						out[k] = append(out[k], f)
					}
					slices.Sort(out[k])
					if !slices.Contains(out[k], "one") || !slices.Contains(out[k], "other") {
						t.Errorf("%s: %s has forms %v, want one and other", path, k, out[k])
					}
				case string:
					if regexp.MustCompile(`{{\s*\.(Count|PluralCount)\b`).MatchString(v) {
						t.Errorf("%s: %s shows a count but has no plural forms", path, k)
					}
				}
			}
		}
		return out
	}
	da, en := forms("da"), forms("en")
	for k, f := range da {
		if !slices.Equal(f, en[k]) {
			t.Errorf("%s: Danish forms %v, English %v", k, f, en[k])
		}
	}
}

// A language has one localizer; what it keeps (translations without data, Memo) answers as the
// catalogue does, also from many goroutines at once.
func TestLocalizerKeepsWhatItTranslates(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if b.For("en") != b.For("en") || b.For("xx") != b.For("da") {
		t.Fatal("For must return the language's one localizer (Danish for an unknown one)")
	}
	en := b.For("en")
	fresh := func(id string, data map[string]any) string {
		s, err := i18n.NewLocalizer(b.b, "en", "da").Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
		if err != nil {
			return id
		}
		return s
	}
	done := make(chan bool)
	for range 8 {
		go func() {
			defer func() { done <- true }()
			for range 50 {
				if got, want := en.T("time.minutes", map[string]any{"N": 5}), fresh("time.minutes", map[string]any{"N": 5}); got != want || got != "5m" {
					t.Errorf("T with data = %q, want %q", got, want)
				}
				if got, want := en.T("time.now"), fresh("time.now", nil); got != want {
					t.Errorf("T = %q, want %q", got, want)
				}
				if got := en.T("no.such.message"); got != "no.such.message" {
					t.Errorf("a missing id shows %q", got)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	made := 0
	for range 3 {
		if got := en.Memo("k", func() string { made++; return "v" }); got != "v" {
			t.Fatalf("Memo = %q", got)
		}
	}
	if made != 1 {
		t.Fatalf("Memo built its text %d times, want once", made)
	}
	if _, ok := en.plain.Load("no.such.message"); ok {
		t.Fatal("a missing id was kept")
	}
}
