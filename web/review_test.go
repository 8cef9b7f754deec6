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

// A lead reviews a reply finding by finding and coaches the agent; the agent sees only their own
// coaching and may dispute a confirmed finding once; agents never reach the review.
func TestCoachingReviewFlowAndPermissions(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	e.AddUser("Lea Lead", "lea@example.dk", desk.RoleLead)
	anna := e.AddUser("Anna Agent", "anna@example.dk", desk.RoleAgent)
	e.AddUser("Bo Agent", "bo@example.dk", desk.RoleAgent)
	tk := e.Ticket("Pakken", "Hvor er min pakke?")
	body := "Hej Jens, du har skrevet en forkert adresse. Vi prøver igen i morgen."
	m, err := e.Store.AddMessage(ctx, tk.Number, desk.NewMessage{Body: body, UserID: anna.ID, Coaching: &desk.Coaching{Lang: "da", PackVersion: "da-1", Score: 55,
		Findings: []desk.CoachFinding{
			{Rule: "blame", Severity: "error", Start: 10, End: 44, Text: body[10:44], MatchPattern: "you-past-error"},
			{Rule: "weak-word", Severity: "warning", Start: 49, End: 55, Text: "prøver", MatchEntry: "prøve"},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	blame, weak := m.Coaching.Findings[0].ID, m.Coaching.Findings[1].ID
	review := fmt.Sprintf("/coaching/replies/%d", m.ID)

	agent := e.SignIn("anna@example.dk")
	agent.Get("/inbox")
	for _, path := range []string{"/coaching", "/coaching/precision", review} {
		if r := agent.Get(path); r.Status != http.StatusForbidden {
			t.Errorf("an agent on %s: %d, want 403", path, r.Status)
		}
	}
	if r := agent.Post(fmt.Sprintf("/coaching/findings/%d/verdict", blame), url.Values{"verdict": {"false_positive"}}); r.Status != http.StatusForbidden {
		t.Errorf("an agent's verdict: %d, want 403", r.Status)
	}

	l := e.SignIn("lea@example.dk")
	r := l.Get("/coaching")
	mustContain(t, "queue", r.Body, "Pakken", "Anna Agent", review)
	r = l.Get(review)
	mustContain(t, "review page", r.Body, "Hvor er min pakke?", "you-past-error", `data-finding="`, "Blames the customer")
	r = l.PostHTMX(fmt.Sprintf("/coaching/findings/%d/verdict", blame), "", url.Values{"verdict": {"confirmed"}, "current": {"1"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `aria-pressed="true"`) || strings.Contains(r.Body, "<html") {
		t.Fatalf("a verdict from htmx answers with the finding alone: %d\n%s", r.Status, excerpt(r.Body))
	}
	l.Post(fmt.Sprintf("/coaching/findings/%d/verdict", weak), url.Values{"verdict": {"false_positive"}})
	if r := l.Post(fmt.Sprintf("/coaching/findings/%d/verdict", weak), url.Values{"verdict": {"maybe"}}); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
		t.Errorf("an unknown verdict: %d", r.Status)
	}
	r = l.Post(review+"/missed", url.Values{"rule": {"redirect"}, "passage": {"står ikke i svaret"}})
	mustContain(t, "a missed finding outside the reply", r.Body, "Copy a passage that is in the reply.", `value="står ikke i svaret"`, `<option value="redirect" selected`)
	r = l.Post(review+"/comments", url.Values{"comment": {""}, "quote": {"ikke i svaret"}})
	mustContain(t, "a comment with two mistakes", r.Body, "Write the note.", "The quote must be a passage of the reply.", `value="ikke i svaret"`)
	if r := l.Post(review+"/comments", url.Values{"comment": {"Godt at du svarede hurtigt. Prøv at sige, hvad vi gør, i stedet for hvad kunden gjorde."}, "quote": {"du har skrevet en forkert adresse"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("comment: %d", r.Status)
	}

	// Bo sees nothing of Anna's coaching and cannot dispute her finding.
	bo := e.SignIn("bo@example.dk")
	if r := bo.Get("/my-coaching"); strings.Contains(r.Body, "Godt at du svarede hurtigt") {
		t.Error("another agent's coaching note is shown")
	}
	if r := bo.Post(fmt.Sprintf("/my-coaching/findings/%d/dispute", blame), url.Values{"reason": {"Nej."}}); r.Status != http.StatusForbidden {
		t.Errorf("disputing another agent's finding: %d, want 403", r.Status)
	}
	r = agent.Get("/my-coaching")
	mustContain(t, "Anna's coaching", r.Body, "Godt at du svarede hurtigt", "du har skrevet en forkert adresse")
	if r := agent.Post(fmt.Sprintf("/my-coaching/findings/%d/dispute", blame), url.Values{"reason": {""}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a dispute without a reason: %d, want 422", r.Status)
	}
	if r := agent.Post(fmt.Sprintf("/my-coaching/findings/%d/dispute", blame), url.Values{"reason": {"Kunden skrev selv adressen forkert i formularen, det er et faktum."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("dispute: %d", r.Status)
	}
	if r := agent.Post(fmt.Sprintf("/my-coaching/findings/%d/dispute", blame), url.Values{"reason": {"Igen."}}); r.Status != http.StatusConflict {
		t.Errorf("a second dispute: %d, want 409", r.Status)
	}
	if r := l.Get("/coaching?disputed=1"); !strings.Contains(r.Body, review) {
		t.Error("the disputed filter does not list the reply")
	}
	l.Get(review)
	if r := l.Post(fmt.Sprintf("/coaching/findings/%d/dispute", blame), url.Values{"decision": {"upheld"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("uphold: %d", r.Status)
	}
	ps, err := e.Store.Precision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Rule == "blame" && (p.Confirmed != 0 || p.FalsePositive != 1) {
			t.Errorf("an upheld dispute counts as a false positive: %+v", p)
		}
	}
	r = l.Get("/coaching/precision")
	mustContain(t, "precision page", r.Body, `data-rule="blame"`, "Needs 30 verdicts", "prøve")
}

// The dashboard, its CSV and the JSON API answer leads, and agents get 403 on all of them.
func TestDashboardPagesExportsAndAPI(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	e.AddUser("Lea Lead", "lea@example.dk", desk.RoleLead)
	anna := e.AddUser("Anna Agent", "anna@example.dk", desk.RoleAgent)
	tk := e.Ticket("Pakken", "Hvor er min pakke?")
	if _, err := e.Store.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Hej Jens, vi sender den i dag.", UserID: anna.ID,
		Coaching: &desk.Coaching{Lang: "da", Score: 88, Findings: []desk.CoachFinding{{Rule: "short-reply", Severity: "warning", Start: 0, End: 4, Text: "Hej "}}}}); err != nil {
		t.Fatal(err)
	}
	l := e.SignIn("lea@example.dk")
	r := l.Get("/coaching/dashboard")
	mustContain(t, "dashboard", r.Body, `data-figure="replies"`, `<svg viewBox="0 0 360.0 160.0" role="img"`, `id="per-agent"`, "Anna Agent", `data-rule="short-reply"`)
	r = l.Get("/coaching/export/dashboard.csv")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "agent_id,agent,replies,avg_score") || !strings.Contains(r.Body, ",Anna Agent,1,88.00,1,") {
		t.Fatalf("dashboard CSV %d:\n%s", r.Status, r.Body)
	}
	if r := l.Get("/coaching/export/queue.csv"); !strings.Contains(r.Body, ",Anna Agent,da,") {
		t.Fatalf("queue CSV:\n%s", r.Body)
	}
	var d struct {
		Team struct {
			Replies int `json:"replies"`
		} `json:"team"`
	}
	lead := e.API("lea@example.dk")
	resp := lead.Do(http.MethodGet, "/api/v1/coaching/dashboard", nil)
	resp.JSON(t, &d)
	if resp.Status != http.StatusOK || d.Team.Replies != 1 {
		t.Fatalf("API dashboard %d: %s", resp.Status, resp.Body)
	}
	agentAPI := e.API("anna@example.dk")
	for _, path := range []string{"/api/v1/coaching/dashboard", "/api/v1/coaching/queue", "/api/v1/coaching/precision"} {
		if r := agentAPI.Do(http.MethodGet, path, nil); r.Status != http.StatusForbidden {
			t.Errorf("an agent's token on %s: %d, want 403", path, r.Status)
		}
	}
	agent := e.SignIn("anna@example.dk")
	for _, path := range []string{"/coaching/dashboard", "/coaching/export/dashboard.csv", "/coaching/export/queue.csv", "/coaching/export/precision.csv"} {
		if r := agent.Get(path); r.Status != http.StatusForbidden {
			t.Errorf("an agent on %s: %d, want 403", path, r.Status)
		}
	}
}

// The random share of replies without findings is the lead's to choose: none, or all of them.
func TestQueueRandomShareIsChosen(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	e.AddUser("Lea Lead", "lea@example.dk", desk.RoleLead)
	anna := e.AddUser("Anna Agent", "anna@example.dk", desk.RoleAgent)
	tk := e.Ticket("Pakken", "Hvor er min pakke?")
	m, err := e.Store.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Hej Jens, pakken er sendt i dag.", UserID: anna.ID, Coaching: &desk.Coaching{Lang: "da", Score: 96}})
	if err != nil {
		t.Fatal(err)
	}
	l := e.SignIn("lea@example.dk")
	link := fmt.Sprintf("/coaching/replies/%d", m.ID)
	if r := l.Get("/coaching?share=0"); strings.Contains(r.Body, link) {
		t.Error("with no random share, a reply without findings is listed")
	}
	if r := l.Get("/coaching?share=100"); !strings.Contains(r.Body, link) || !strings.Contains(r.Body, "Random sample") {
		t.Error("with the whole random share, the reply without findings is missing")
	}
}
