package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

func settingsForm(lower, verdicts, share, days string) url.Values {
	return url.Values{"min_lower": {lower}, "min_verdicts": {verdicts}, "sample_share": {share}, "dispute_days": {days}}
}

// An admin edits the review's thresholds on the precision page; the send gate, the queue and the
// dispute deadline follow at once. Leads read them; agents do not reach the page.
func TestAdminEditsReviewSettings(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	r := admin.Get("/coaching/precision")
	mustContain(t, "the admin's precision page", r.Body, `action="/coaching/precision/settings"`, `name="min_lower" value="0.9"`,
		`name="min_verdicts" value="50"`, `name="sample_share" value="10"`, `name="dispute_days" value="2"`)

	if r := admin.Post("/coaching/precision/settings", settingsForm("0.95", "60", "0", "4")); r.Status != http.StatusSeeOther {
		t.Fatalf("a good save: %d, want 303\n%s", r.Status, excerpt(r.Body))
	} else if r.Location() != "/coaching/precision?saved=1" {
		t.Errorf("a good save goes to %q", r.Location())
	}
	r = admin.Get("/coaching/precision?saved=1")
	if r.Status != http.StatusOK {
		t.Fatalf("the page after a save: %d", r.Status)
	}
	mustContain(t, "after a save", r.Body, "The thresholds are saved.", `name="min_lower" value="0.95"`, `name="dispute_days" value="4"`,
		"Last changed by Astrid Admin", "at least 0.95 over 60 or more verdicts")
	rs, err := e.Store.ReviewSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (desk.ReviewSettings{MinLower: 0.95, MinVerdicts: 60, SampleShare: 0, DisputeDays: 4}); rs.MinLower != want.MinLower ||
		rs.MinVerdicts != want.MinVerdicts || rs.SampleShare != want.SampleShare || rs.DisputeDays != want.DisputeDays {
		t.Fatalf("stored %+v, want %+v", rs, want)
	}
	if g := e.Desk.GateSettings(); g.MinLower != 0.95 || g.MinVerdicts != 60 {
		t.Errorf("the send gate uses %+v right after the save", g)
	}

	// Every bad value at once, each beside its field with what was typed; nothing changes.
	r = admin.Post("/coaching/precision/settings", settingsForm("0,3", "abc", "51", "7"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad values: %d, want 422", r.Status)
	}
	mustContain(t, "bad values", r.Body, "Write a number from 0.50 to 0.99.", "Write a whole number from 10 to 1000.", "Write a whole number from 0 to 50.",
		`value="0,3"`, `value="abc"`, `value="51"`, `value="7"`, `id="err-min_lower"`, `id="err-sample_share"`)
	if strings.Contains(r.Body, `id="err-dispute_days"`) {
		t.Error("a good value is marked wrong")
	}
	if got, _ := e.Store.ReviewSettings(ctx); got.MinLower != 0.95 || got.DisputeDays != 4 {
		t.Errorf("a refused save changed the settings: %+v", got)
	}
	// A Danish decimal comma is a number like any other.
	if r := admin.Post("/coaching/precision/settings", settingsForm("0,92", "60", "0", "4")); r.Status != http.StatusSeeOther {
		t.Errorf("0,92: %d, want 303", r.Status)
	}
	if r := admin.PostNoCSRF("/coaching/precision/settings", settingsForm("0.5", "10", "0", "1")); r.Status != http.StatusForbidden {
		t.Errorf("a save without the CSRF token: %d, want 403", r.Status)
	}

	// A lead sees the values and cannot change them.
	lead := e.SignIn("lead@coachdesk.test")
	r = lead.Get("/coaching/precision")
	mustContain(t, "the lead's precision page", r.Body, `data-setting="min_lower">0.92<`, `data-setting="dispute_days">4<`, "Administrators change these.")
	if strings.Contains(r.Body, `action="/coaching/precision/settings"`) {
		t.Error("a lead is shown the settings form")
	}
	if r := lead.Post("/coaching/precision/settings", settingsForm("0.5", "10", "50", "20")); r.Status != http.StatusForbidden {
		t.Errorf("a lead's save: %d, want 403", r.Status)
	}
	agent := e.SignIn("anna@coachdesk.test")
	if r := agent.Get("/coaching/precision"); r.Status != http.StatusForbidden {
		t.Errorf("an agent on the precision page: %d, want 403", r.Status)
	}
	if r := agent.Post("/coaching/precision/settings", settingsForm("0.5", "10", "50", "20")); r.Status != http.StatusForbidden {
		t.Errorf("an agent's save: %d, want 403", r.Status)
	}
	if got, _ := e.Store.ReviewSettings(ctx); got.MinLower != 0.92 || got.SampleShare != 0 {
		t.Errorf("a refused role changed the settings: %+v", got)
	}

	// The queue's default share and the agent's dispute deadline follow the settings.
	m, err := e.Store.AddMessage(ctx, e.Ticket("Pakken", "Hvor er min pakke?").Number,
		desk.NewMessage{Body: "Hej Jens, pakken er sendt i dag.", UserID: e.Agent.ID, Coaching: &desk.Coaching{Lang: "da", Score: 96}})
	if err != nil {
		t.Fatal(err)
	}
	link := fmt.Sprintf("/coaching/replies/%d", m.ID)
	r = lead.Get("/coaching")
	if strings.Contains(r.Body, link) {
		t.Error("with a 0 % share in the settings, a reply without findings is queued")
	}
	mustContain(t, "the queue's share", r.Body, `<option value="0" selected`)
	if r := lead.Get("/coaching?share=100"); !strings.Contains(r.Body, link) {
		t.Error("a share the lead picks still wins over the setting")
	}
	mustContain(t, "my coaching", agent.Get("/my-coaching").Body, "within 4 working days")
}

// A rule below the bar is marked on the precision page, and the composer has the note for its findings.
func TestDemotedRuleIsMarked(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	if err := e.Desk.SaveReviewSettings(ctx, desk.ReviewSettings{MinLower: 0.99, MinVerdicts: 10, SampleShare: 10, DisputeDays: 2}, e.Admin); err != nil {
		t.Fatal(err)
	}
	tk := e.Ticket("Pakken", "Hvor er min pakke?")
	body := "Hej Jens, du har skrevet en forkert adresse."
	for range 10 {
		m, err := e.Store.AddMessage(ctx, tk.Number, desk.NewMessage{Body: body, UserID: e.Agent.ID, Coaching: &desk.Coaching{Lang: "da", PackVersion: "da-1",
			Findings: []desk.CoachFinding{{Rule: "blame", Severity: "error", Start: 10, End: 44, Text: body[10:44]}}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Desk.SetVerdict(ctx, m.Coaching.Findings[0].ID, e.Lead, desk.VerdictConfirmed); err != nil {
			t.Fatal(err)
		}
	}
	r := e.SignIn("lead@coachdesk.test").Get("/coaching/precision")
	mustContain(t, "precision page", r.Body, `data-rule="blame"`, "data-demoted", "Shown as a warning", "its lower bound is under 0.99 over 10")
	r = e.SignIn("anna@coachdesk.test").Get(fmt.Sprintf("/tickets/%d", tk.Number))
	mustContain(t, "the composer's strings", r.Body, "found this rule wrong too often lately")
}
