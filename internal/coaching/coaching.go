// Package coaching turns what the coach says about a reply into the record stored with it.
package coaching

import (
	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// Record is the stored form of a lint result: every finding with its span, the score and the pack version.
func Record(res coach.Result) *desk.Coaching {
	rec := &desk.Coaching{Lang: res.Lang, PackVersion: res.PackVersion, Score: res.Score}
	for _, f := range res.Findings {
		rec.Findings = append(rec.Findings, desk.CoachFinding{Rule: f.Rule, Severity: string(f.Severity), Start: f.Start, End: f.End, Text: f.Text})
	}
	return rec
}
