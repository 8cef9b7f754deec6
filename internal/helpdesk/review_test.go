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
	// Stricter thresholds, or fewer verdicts than the minimum, bring the block back.
	f.hd.SetGate(desk.GateSettings{MinLower: 0.5, MinVerdicts: 50})
	if f.hd.Demoted(coach.RuleBlame, "da") {
		t.Fatal("with a 0.5 bar, 0.60 is proven enough to block")
	}
	f.hd.SetGate(desk.GateSettings{MinLower: 0.9, MinVerdicts: 100})
	if f.hd.Demoted(coach.RuleBlame, "da") {
		t.Fatal("55 verdicts are too few to judge under a minimum of 100: the rule blocks")
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
