// Package coaching turns what the coach says about a reply into the record stored with it.
package coaching

import (
	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// Record is the stored form of a lint result: every finding with its span and why it fired, the
// score and the pack version.
func Record(res coach.Result) *desk.Coaching {
	rec := &desk.Coaching{Lang: res.Lang, PackVersion: res.PackVersion, Score: res.Score}
	for _, f := range res.Findings {
		stored := desk.CoachFinding{Rule: f.Rule, Severity: string(f.Severity), Start: f.Start, End: f.End, Text: f.Text}
		if f.Match != nil {
			stored.MatchPattern, stored.MatchEntry = f.Match.Pattern, f.Match.Entry
		}
		rec.Findings = append(rec.Findings, stored)
	}
	return rec
}
