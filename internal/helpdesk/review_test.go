package helpdesk_test

import (
	"errors"
	"testing"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
)

// An error-level rule stops a send only while the leads' verdicts have not shown it wrong too often:
// with 40 right and 15 wrong of 55 (lower bound 0.60), blame comes back as a warning and lets the reply go.
func TestUnprovenErrorRuleNoLongerBlocksSending(t *testing.T) {
	f := newFixture(t)
	lead, err := f.st.CreateUser(f.ctx, desk.User{Name: "Lea Lead", Email: "lea@coachdesk.test", Role: desk.RoleLead, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var refused *helpdesk.Refused
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Body: blaming, Lang: "da"}); !errors.As(err, &refused) {
		t.Fatalf("before any verdict the blaming reply is %v, want refused", err)
	}
	if !f.hd.ErrorLevel(coach.RuleBlame, "da") || f.hd.ErrorLevel(coach.RuleWeakWord, "da") {
		t.Fatal("blame is the error-level rule in Danish, weak-word is not")
	}
	for i := range 55 {
		m, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Body: blaming, Lang: "da", OverrideReason: "Kunden bad selv om det."})
		if err != nil {
			t.Fatal(err)
		}
		v := desk.VerdictConfirmed
		if i < 15 {
			v = desk.VerdictFalsePositive
		}
		for _, fd := range m.Coaching.Findings {
			if fd.Rule == coach.RuleBlame {
				if err := f.hd.SetVerdict(f.ctx, fd.ID, lead, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if !f.hd.Demoted(coach.RuleBlame, "da") || f.hd.Demoted(coach.RuleBlame, "sv") {
		t.Fatal("blame should be demoted in Danish only")
	}
	res := f.hd.Lint(blaming, coach.Options{Lang: "da"})
	for _, fd := range res.Findings {
		if fd.Rule == coach.RuleBlame && fd.Severity != coach.SevWarning {
			t.Fatalf("demoted blame reports as %s", fd.Severity)
		}
	}
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Body: blaming, Lang: "da"}); err != nil {
		t.Fatalf("a demoted rule still stops the send: %v", err)
	}
	// A lower bar, or fewer verdicts than the minimum, bring the block back.
	admin := desk.User{ID: lead.ID}
	if err := f.hd.SaveReviewSettings(f.ctx, desk.ReviewSettings{MinLower: 0.5, MinVerdicts: 50, SampleShare: 10, DisputeDays: 2}, admin); err != nil {
		t.Fatal(err)
	}
	if f.hd.Demoted(coach.RuleBlame, "da") {
		t.Fatal("with a 0.5 bar, 0.60 is proven enough to block")
	}
	if err := f.hd.SaveReviewSettings(f.ctx, desk.ReviewSettings{MinLower: 0.9, MinVerdicts: 100, SampleShare: 10, DisputeDays: 2}, admin); err != nil {
		t.Fatal(err)
	}
	if f.hd.Demoted(coach.RuleBlame, "da") {
		t.Fatal("55 verdicts are too few to judge under a minimum of 100: the rule blocks")
	}
}

// Raising the bar in the review settings demotes a rule at once: 50 right of 50 (lower bound 0.93)
// blocks under the default 0.90 and is shown as a warning, marked demoted, under 0.95; a send goes
// through; back at 0.90 it blocks again.
func TestRaisedBarDemotesAtOnce(t *testing.T) {
	f := newFixture(t)
	admin, err := f.st.CreateUser(f.ctx, desk.User{Name: "Ada Admin", Email: "ada@coachdesk.test", Role: desk.RoleAdmin, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		m, err := f.st.AddMessage(f.ctx, f.ticket.Number, desk.NewMessage{Body: blaming, UserID: f.agent.ID, Coaching: &desk.Coaching{Lang: "da", PackVersion: "da-1",
			Findings: []desk.CoachFinding{{Rule: coach.RuleBlame, Severity: "error", Start: 0, End: 3, Text: blaming[:3]}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.hd.SetVerdict(f.ctx, m.Coaching.Findings[0].ID, admin, desk.VerdictConfirmed); err != nil {
			t.Fatal(err)
		}
	}
	if f.hd.Demoted(coach.RuleBlame, "da") {
		t.Fatal("0.93 over 50 verdicts meets the default bar: blame should block")
	}
	if g := f.hd.GateSettings(); g != desk.DefaultGate {
		t.Fatalf("the gate starts from %+v, want the defaults", g)
	}
	raised := desk.ReviewSettings{MinLower: 0.95, MinVerdicts: 50, SampleShare: 10, DisputeDays: 2}
	if err := f.hd.SaveReviewSettings(f.ctx, raised, admin); err != nil {
		t.Fatal(err)
	}
	if g := f.hd.GateSettings(); g.MinLower != 0.95 {
		t.Fatalf("after the save the gate uses %+v", g)
	}
	if !f.hd.Demoted(coach.RuleBlame, "da") {
		t.Fatal("0.93 is under the raised bar of 0.95: blame should be demoted at once")
	}
	res := f.hd.Lint(blaming, coach.Options{Lang: "da"})
	seen := false
	for _, fd := range res.Findings {
		if fd.Rule == coach.RuleBlame {
			seen = true
			if fd.Severity != coach.SevWarning || !fd.Demoted {
				t.Errorf("demoted blame reports as %s, demoted %v", fd.Severity, fd.Demoted)
			}
		} else if fd.Demoted {
			t.Errorf("%s is marked demoted", fd.Rule)
		}
	}
	if !seen {
		t.Fatal("the blaming reply has no blame finding")
	}
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Body: blaming, Lang: "da"}); err != nil {
		t.Fatalf("a demoted rule still stops the send: %v", err)
	}
	if err := f.hd.SaveReviewSettings(f.ctx, desk.DefaultReviewSettings(), admin); err != nil {
		t.Fatal(err)
	}
	var refused *helpdesk.Refused
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Body: blaming, Lang: "da"}); !errors.As(err, &refused) {
		t.Fatalf("back at 0.90 the blaming reply is %v, want refused", err)
	}
	// A refused save changes nothing.
	if err := f.hd.SaveReviewSettings(f.ctx, desk.ReviewSettings{MinLower: 2}, admin); desk.ErrorCode(err) != desk.EINVALID {
		t.Fatalf("a bar of 2: %v, want invalid", err)
	}
	if g := f.hd.GateSettings(); g != desk.DefaultGate {
		t.Errorf("after a refused save the gate uses %+v", g)
	}
}

// Another instance's save reaches this one with the periodic reload.
func TestGateFollowsSettingsSavedElsewhere(t *testing.T) {
	f := newFixture(t)
	if g := f.hd.GateSettings(); g != desk.DefaultGate {
		t.Fatalf("start: %+v", g)
	}
	if err := f.st.SaveReviewSettings(f.ctx, desk.ReviewSettings{MinLower: 0.8, MinVerdicts: 30, SampleShare: 10, DisputeDays: 2}, f.agent.ID); err != nil {
		t.Fatal(err)
	}
	if g := f.hd.GateSettings(); g != desk.DefaultGate {
		t.Fatalf("within the minute the gate keeps its copy, got %+v", g)
	}
	f.hd.ExpireGate()
	if g := f.hd.GateSettings(); g.MinLower != 0.8 || g.MinVerdicts != 30 {
		t.Fatalf("after the reload the gate uses %+v", g)
	}
}

// A sent reply keeps why each finding fired, so the review can show it after the pack changed.
func TestSentFindingsKeepTheirMatch(t *testing.T) {
	f := newFixture(t)
	m, err := f.hd.Send(f.ctx, f.reply(blaming, "Kunden bad selv om det."))
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range m.Coaching.Findings {
		if fd.MatchPattern == "" && fd.MatchEntry == "" {
			t.Errorf("finding %s was stored without its match", fd.Rule)
		}
	}
	thread := f.thread(t)
	stored := thread[len(thread)-1].Coaching
	if stored == nil || len(stored.Findings) == 0 || stored.Findings[0].MatchEntry != m.Coaching.Findings[0].MatchEntry {
		t.Fatalf("the stored findings lost their match: %+v", stored)
	}
}
