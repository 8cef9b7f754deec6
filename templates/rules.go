package templates

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/rules"
)

type roleKey struct{}

// WithRole puts the reader's role on the context, for the few controls only some roles get.
func WithRole(ctx context.Context, r desk.Role) context.Context {
	return context.WithValue(ctx, roleKey{}, r)
}

func isAdmin(ctx context.Context) bool {
	r, _ := ctx.Value(roleKey{}).(desk.Role)
	return r == desk.RoleAdmin
}

// RulesPage is the admin's editor of one language's pack (its draft).
type RulesPage struct {
	Page
	Lang     string
	Langs    []string
	Current  int // the version in use (0: embedded)
	Draft    rules.Draft
	Changed  bool // the draft differs from the version in use
	Rules    []RuleView
	OurNames ListView
	Failing  []ExampleView      // the examples that fail on the draft
	Problems []coach.FieldError // problems of the whole draft (a publish is blocked by them)
	Errors   FieldErrors        // the last change's problems, by pack field or form
	Typed    map[string]string  // what was typed into the form that failed, by form field
	Unsaved  bool               // the page shows a change that was refused
	Notice   string
	Diff     []coach.DiffLine // the draft against the version in use
	Replies  int              // replies in the last 90 days (the base of the hit counts)
	Open     string           // the rule to show open
}

// RuleView is one rule with its settings, lists and examples.
type RuleView struct {
	ID           string
	Custom       bool
	Enabled      bool
	Severity     string
	Threshold    int
	Window       int
	HasThreshold bool
	HasWindow    bool
	Message      string
	Suggestion   string
	Lists        []ListView
	Examples     []ExampleView
	Stat         rules.EntryStat
	Noisy        bool
}

// ExampleView is one example with its result on the draft (Ran is false when the draft does not compile).
type ExampleView struct {
	Rule    string
	Index   int
	Example coach.Example
	Ran     bool
	OK      bool
	Got     []string
}

// ListView is one list with its entries' hits.
type ListView struct {
	Key     string
	Kind    string
	Label   string
	Entries []EntryView
}

// EntryView is one entry with its note and hits.
type EntryView struct {
	Index int
	Text  string
	Note  string
	Stat  rules.EntryStat
	Dead  bool
	Noisy bool
}

// BacktestPage shows a backtest run (its progress while it runs).
type BacktestPage struct {
	Page
	Lang   string
	Run    rules.BacktestStatus
	Draft  rules.Draft
	Days   int
	Notice string
}

// HistoryPage lists a language's published versions; Diff is shown for Version.
type HistoryPage struct {
	Page
	Lang     string
	Langs    []string
	Versions []rules.Version
	Current  int
	Version  rules.Version
	Diff     []coach.DiffLine
	Errors   FieldErrors
	Notice   string
	Typed    map[string]string
}

func pct(part, whole int) string {
	if whole == 0 {
		return "–"
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 0, 64) + " %"
}

func precisionText(j rules.Judged) string {
	p, ok := j.Precision()
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f (%d/%d)", p, j.Confirmed, j.Confirmed+j.Dismissed)
}

func progress(r rules.BacktestStatus) string {
	if r.Total == 0 {
		return "0"
	}
	return strconv.Itoa(min(100, 100*r.Done/r.Total))
}

func dateText(t time.Time) string { return t.Format("2006-01-02 15:04") }

func diffClass(op byte) string {
	switch op {
	case '+':
		return "diff-add"
	case '-':
		return "diff-del"
	case '@':
		return "diff-gap"
	}
	return "diff-same"
}

func itoaInt(n int) string { return strconv.Itoa(n) }

func severities() []string { return []string{"error", "warning", "suggestion"} }

func joinGot(got []string) string {
	out := ""
	for i, g := range got {
		if i > 0 {
			out += ", "
		}
		out += "'" + g + "'"
	}
	return out
}

func entryField(key string, i int) string { return key + "[" + strconv.Itoa(i) + "]" }

func exampleField(rule string, i int) string { return "examples." + rule + "[" + strconv.Itoa(i) + "]" }

// reasonText says one pack problem in the reader's language.
func reasonText(ctx context.Context, e coach.FieldError) string {
	return tf(ctx, "rules.error."+e.Reason, map[string]any{"Detail": e.Detail})
}

func failingExamples(xs []ExampleView) int {
	n := 0
	for _, x := range xs {
		if x.Ran && !x.OK {
			n++
		}
	}
	return n
}
