package store

import (
	"context"
	"math"
	"testing"
	"time"

	"coachdesk/internal/desk"
)

// A known history of verdicts, disputes and random samples adds up to exact precision figures.
func TestReviewHistoryAddsUp(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	lead, err := f.s.CreateUser(ctx, desk.User{Name: "lea", Email: "lea@coachdesk.test", Role: desk.RoleLead, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	weak := func(start int) desk.CoachFinding {
		return desk.CoachFinding{Rule: "weak-word", Severity: "warning", Start: start, End: start + 6, Text: "prøver", MatchPattern: "prøve", MatchEntry: "rules.weak-word.entries[0]"}
	}
	// 40 replies by anna with one weak-word finding each; 10 by bo without findings.
	var findings []int64
	for i := range 40 {
		m := f.reply(t, f.clock.Add(time.Minute), f.anna, desk.Coaching{Lang: "da", PackVersion: "v1", Score: 80, Findings: []desk.CoachFinding{weak(18)}})
		if i == 0 && (m.Coaching == nil || m.Coaching.Findings[0].ID == 0) {
			t.Fatal("a stored finding comes back without its id")
		}
		findings = append(findings, m.Coaching.Findings[0].ID)
	}
	var clean []int64
	for range 10 {
		m := f.reply(t, f.clock.Add(time.Minute), f.bo, desk.Coaching{Lang: "da", PackVersion: "v1", Score: 95})
		clean = append(clean, m.ID)
	}

	// 34 confirmed, 6 false positives; then anna disputes two confirmations and one is upheld.
	for i, id := range findings {
		v := desk.VerdictConfirmed
		if i >= 34 {
			v = desk.VerdictFalsePositive
		}
		if err := f.s.SetVerdict(ctx, id, lead.ID, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.Dispute(ctx, findings[0], f.bo.ID, "Det var ikke mig."); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Fatalf("another agent's dispute: %v, want forbidden", err)
	}
	if err := f.s.Dispute(ctx, findings[39], f.anna.ID, "Forkert."); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("dispute of a false positive: %v, want conflict", err)
	}
	for _, id := range findings[:2] {
		if err := f.s.Dispute(ctx, id, f.anna.ID, "Det er kundens eget forsøg, ikke mit."); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.Dispute(ctx, findings[0], f.anna.ID, "Igen."); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("a second dispute: %v, want conflict", err)
	}
	if err := f.s.ResolveDispute(ctx, findings[0], lead.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ResolveDispute(ctx, findings[1], lead.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ResolveDispute(ctx, findings[1], lead.ID, true); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("deciding a dispute twice: %v, want conflict", err)
	}

	// The lead reviews three clean replies and adds one missed finding.
	for _, id := range clean[:3] {
		if err := f.s.MarkReviewed(ctx, id, lead.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.AddMissed(ctx, clean[0], lead.ID, "weak-word", 18, 24); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddMissed(ctx, clean[0], lead.ID, "weak-word", 30, 400); desk.ErrorCode(err) != desk.EINVALID {
		t.Fatalf("a span outside the reply: %v, want invalid", err)
	}

	ps, err := f.s.Precision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("precision rows %+v", ps)
	}
	p := ps[0]
	want := desk.Precision{Rule: "weak-word", Lang: "da", PackVersion: "v1", Confirmed: 33, FalsePositive: 7, Missed: 1, Sampled: 3}
	if p != want {
		t.Fatalf("precision %+v, want %+v", p, want)
	}
	// Wilson 95 % lower bound for 33 of 40, worked by hand: (0.825 + 1.96²/80 − 1.96·√(0.825·0.175/40 + 1.96²/6400)) / (1 + 1.96²/40) = 0.6805.
	if got := p.Lower(); math.Abs(got-0.6805) > 0.0005 {
		t.Errorf("Wilson lower bound %.4f, want 0.6805", got)
	}
	if !p.Shown() || desk.DefaultGate.Blocks(desk.Precision{Confirmed: 33, FalsePositive: 7}) == false {
		t.Errorf("40 verdicts are shown, and under 50 verdicts a rule still blocks")
	}
	if desk.DefaultGate.Blocks(desk.Precision{Confirmed: 45, FalsePositive: 10}) {
		t.Errorf("45 of 55 (lower bound %.2f) must not block", desk.WilsonLower(45, 55))
	}
	if !desk.DefaultGate.Blocks(desk.Precision{Confirmed: 100, FalsePositive: 0}) {
		t.Errorf("100 of 100 must block")
	}

	top, err := f.s.TopDismissals(ctx, 5)
	if err != nil || len(top) != 1 || top[0].Phrase != "prøve" || top[0].N != 6 {
		t.Fatalf("top dismissals %+v, %v", top, err)
	}
}

// The queue lists replies with findings and the random share without, with every filter.
func TestReviewQueueFilters(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	lead, _ := f.s.CreateUser(ctx, desk.User{Name: "lea", Email: "lea@coachdesk.test", Role: desk.RoleLead, PasswordHash: "x"})
	blame := desk.CoachFinding{Rule: "blame", Severity: "error", Start: 0, End: 3, Text: "Hej"}
	weak := desk.CoachFinding{Rule: "weak-word", Severity: "warning", Start: 18, End: 24, Text: "prøver", NotHelpful: true}
	a := f.reply(t, f.clock.Add(time.Minute), f.anna, desk.Coaching{Lang: "da", Score: 40, Overridden: true, OverrideReason: "Kunden bad om det.", Findings: []desk.CoachFinding{blame}})
	b := f.reply(t, f.clock.Add(time.Minute), f.bo, desk.Coaching{Lang: "nb", Score: 70, Findings: []desk.CoachFinding{weak}})
	for range 200 {
		f.reply(t, f.clock.Add(time.Minute), f.bo, desk.Coaching{Lang: "da", Score: 100})
	}
	count := func(flt desk.ReviewFilter) int {
		t.Helper()
		n, err := f.s.ReviewCount(ctx, flt)
		if err != nil {
			t.Fatal(err)
		}
		items, err := f.s.ReviewQueue(ctx, flt)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != min(n, 50) {
			t.Fatalf("%+v: %d items on the first page of %d", flt, len(items), n)
		}
		return n
	}
	none := desk.ReviewFilter{SampleRate: 0}
	if n := count(none); n != 2 {
		t.Fatalf("with no random share the queue has %d replies, want the 2 with findings", n)
	}
	all := desk.ReviewFilter{SampleRate: 100}
	if n := count(all); n != 202 {
		t.Fatalf("with the whole random share %d, want 202", n)
	}
	// The default share takes about a tenth of the 200 clean replies (at random, so within reason).
	if n := count(desk.ReviewFilter{SampleRate: 10}) - 2; n < 5 || n > 45 {
		t.Errorf("10 %% of 200 clean replies gave %d", n)
	}
	for name, c := range map[string]struct {
		f    desk.ReviewFilter
		want int64
	}{
		"agent":       {desk.ReviewFilter{AgentID: f.anna.ID}, a.ID},
		"rule":        {desk.ReviewFilter{Rule: "weak-word"}, b.ID},
		"language":    {desk.ReviewFilter{Lang: "nb"}, b.ID},
		"severity":    {desk.ReviewFilter{Severity: "error"}, a.ID},
		"overridden":  {desk.ReviewFilter{Overridden: true}, a.ID},
		"not helpful": {desk.ReviewFilter{NotHelpful: true}, b.ID},
	} {
		items, err := f.s.ReviewQueue(ctx, c.f)
		if err != nil || len(items) != 1 || items[0].MessageID != c.want {
			t.Errorf("%s: %+v, %v", name, items, err)
		}
	}
	if err := f.s.MarkReviewed(ctx, a.ID, lead.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(desk.ReviewFilter{Reviewed: "no"}); n != 1 {
		t.Errorf("not reviewed: %d, want 1", n)
	}
	if n := count(desk.ReviewFilter{Reviewed: "yes"}); n != 1 {
		t.Errorf("reviewed: %d, want 1", n)
	}
	// Keyset paging: the second page starts below the first page's last id, never repeats.
	first, _ := f.s.ReviewQueue(ctx, desk.ReviewFilter{SampleRate: 100, Limit: 150})
	second, _ := f.s.ReviewQueue(ctx, desk.ReviewFilter{SampleRate: 100, Limit: 150, Before: first[len(first)-1].MessageID})
	if len(first)+len(second) != 202 || second[0].MessageID >= first[len(first)-1].MessageID {
		t.Fatalf("pages of %d and %d", len(first), len(second))
	}
}

// A dispute must come within two working days of the confirmation.
func TestDisputeDeadlineCountsWorkingDays(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	lead, _ := f.s.CreateUser(ctx, desk.User{Name: "lea", Email: "lea@coachdesk.test", Role: desk.RoleLead, PasswordHash: "x"})
	friday := time.Date(2026, 3, 6, 15, 0, 0, 0, time.UTC)
	m := f.reply(t, friday, f.anna, desk.Coaching{Lang: "da", Findings: []desk.CoachFinding{{Rule: "blame", Severity: "error", Start: 0, End: 3, Text: "Hej"}}})
	id := m.Coaching.Findings[0].ID
	if err := f.s.SetVerdict(ctx, id, lead.ID, desk.VerdictConfirmed); err != nil {
		t.Fatal(err)
	}
	f.clock = time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC) // Tuesday after: past Monday and Tuesday 15:00
	if err := f.s.Dispute(ctx, id, f.anna.ID, "Forkert."); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("a late dispute: %v, want conflict", err)
	}
	f.clock = time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	if err := f.s.Dispute(ctx, id, f.anna.ID, "Forkert."); err != nil {
		t.Fatalf("a dispute on the second working day: %v", err)
	}
}
