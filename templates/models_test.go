package templates

import (
	"context"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
)

func TestCoachingSummaryCountsInTheReadersGrammar(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	one := &desk.Coaching{Score: 70, Findings: []desk.CoachFinding{{Severity: "error"}, {Severity: "warning"}, {Severity: "suggestion"}}}
	two := &desk.Coaching{Score: 40, Findings: []desk.CoachFinding{{Severity: "error"}, {Severity: "error"}, {Severity: "warning"}, {Severity: "warning"}}}
	for _, tc := range []struct {
		locale string
		c      *desk.Coaching
		want   string
	}{
		{"da", one, "Coach: 70/100 · 1 fejl, 1 advarsel, 1 forslag"},
		{"da", two, "Coach: 40/100 · 2 fejl, 2 advarsler, 0 forslag"},
		{"en", one, "Coach: 70/100 · 1 error, 1 warning, 1 suggestion"},
		{"en", two, "Coach: 40/100 · 2 errors, 2 warnings, 0 suggestions"},
	} {
		ctx := i18n.WithLocalizer(context.Background(), b.For(tc.locale))
		if got := coachingSummary(ctx, tc.c); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.locale, got, tc.want)
		}
	}
}
