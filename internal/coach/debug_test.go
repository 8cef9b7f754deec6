package coach

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestDebugText prints the result for $COACH_DEBUG (one text per line, \n escaped); skipped otherwise.
func TestDebugText(t *testing.T) {
	in := os.Getenv("COACH_DEBUG")
	if in == "" {
		t.Skip("set COACH_DEBUG to print results")
	}
	for _, line := range strings.Split(in, "\n") {
		if line == "" {
			continue
		}
		text := strings.ReplaceAll(line, `\n`, "\n")
		res := Default().Lint(text, Options{Lang: os.Getenv("COACH_LANG")})
		b, _ := json.MarshalIndent(res, "", " ")
		if os.Getenv("COACH_BRIEF") != "" {
			var parts []string
			for _, f := range res.Findings {
				r := ""
				if len(f.Suggestions) > 0 && f.Suggestions[0].Replace != nil {
					r = " => " + *f.Suggestions[0].Replace
				}
				parts = append(parts, f.Rule+"/"+string(f.Severity)+"["+f.Text+"]"+r)
			}
			var ps []string
			for _, p := range res.Positives {
				ps = append(ps, p.Kind+"["+p.Text+"]")
			}
			t.Logf("%s %d | %s\n   + %s", res.Lang, res.Score, strings.Join(parts, " ; "), strings.Join(ps, " ; "))
			continue
		}
		t.Logf("%s", b)
	}
}
