package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"coachdesk/internal/desk"
)

// A lead works a reply in the review by keyboard and coaches the agent; the agent disputes the
// confirmed finding; the lead agrees, and the rule's precision changes.
func TestLeadReviewsAndAgentDisputes(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	ctx := context.Background()
	leadLogin, agentLogin := loginWithRole(t, logins, desk.RoleLead), agentLogins(t, logins)[0]
	agent := userOf(t, st, agentLogin)
	tk := replyableTicket(t, st)
	body := "Hej, du har skrevet en forkert adresse på ordren. Vi prøver at sende den igen i morgen."
	m, err := st.AddMessage(ctx, tk.Number, desk.NewMessage{Body: body, UserID: agent.ID, Coaching: &desk.Coaching{Lang: "da", PackVersion: "e2e-1", Score: 50,
		Findings: []desk.CoachFinding{
			{Rule: "blame", Severity: "error", Start: 5, End: 47, Text: body[5:47]},
			{Rule: "weak-word", Severity: "warning", Start: 54, End: 60, Text: body[54:60]},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	blame, weak := m.Coaching.Findings[0].ID, m.Coaching.Findings[1].ID
	precisionRow := `document.querySelector('tr[data-rule="blame"][data-pack="e2e-1"]')`
	review := fmt.Sprintf("%s/coaching/replies/%d", base, m.ID)

	b := newBrowser(t, execPath)
	signIn(t, b, base, leadLogin)
	step(t, b, "filter the queue by rule and agent, open the reply",
		chromedp.Navigate(base+"/coaching"),
		waitFor(`document.querySelector("form.review-filters") !== null && `+settled),
		chromedp.SetValue(chromedp.CSS(`select[name=rule]`), "blame"),
		chromedp.SetValue(chromedp.CSS(`select[name=agent]`), fmt.Sprint(agent.ID)),
		chromedp.Click(chromedp.CSS(`form.review-filters button`)),
		// Settled first: the queue is drawn as the page loads, and a click on a row being replaced finds no node.
		waitFor(fmt.Sprintf(`location.search.includes("rule=blame") && document.querySelector('tr[data-message="%d"] a') !== null && `, m.ID)+settled),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr[data-message="%d"] a`, m.ID))),
		waitFor(fmt.Sprintf(`document.querySelector("[data-review='%d']") !== null && document.querySelector(".review-finding.current") !== null && `, m.ID)+settled),
	)
	step(t, b, "1 confirms the first finding, 2 dismisses the next as a false positive",
		chromedp.KeyEvent("1"),
		waitFor(fmt.Sprintf(`document.querySelector('#finding-%d .verdict-confirmed[aria-pressed=true]') !== null && document.querySelector('#finding-%d.current') !== null && `, blame, weak)+settled),
		chromedp.KeyEvent("2"),
		waitFor(fmt.Sprintf(`document.querySelector('#finding-%d .verdict-false_positive[aria-pressed=true]') !== null && `, weak)+settled),
	)
	step(t, b, "write a coaching note",
		chromedp.SendKeys(chromedp.CSS(`#comment-form textarea[name=comment]`), "Godt, at du fandt fejlen hurtigt. Skriv, hvad vi gør nu, frem for hvad kunden gjorde."),
		chromedp.Click(chromedp.CSS(`#comment-form button`)),
		waitFor(`location.search.includes("saved=1") && document.querySelector(".coaching-comment") !== null`),
	)
	step(t, b, "the precision counts the confirmation",
		chromedp.Navigate(base+"/coaching/precision"),
		waitFor(precisionRow+` !== null && `+precisionRow+`.dataset.confirmed === "1" && `+precisionRow+`.dataset.verdicts === "1"`),
	)
	signOut(t, b)

	signIn(t, b, base, agentLogin)
	step(t, b, "the agent sees the note and disputes the confirmed finding",
		chromedp.Navigate(base+"/my-coaching"),
		waitFor(`document.body.innerText.includes("Godt, at du fandt fejlen hurtigt.")`),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#finding-%d input[name=reason]`, blame)), "Kunden skrev selv den forkerte adresse; jeg fortalte det bare."+kb.Enter),
		waitFor(fmt.Sprintf(`document.querySelector('#finding-%d [data-dispute="open"]') !== null`, blame)),
	)
	signOut(t, b)

	signIn(t, b, base, leadLogin)
	step(t, b, "the lead agrees with the dispute",
		chromedp.Navigate(review),
		waitFor(fmt.Sprintf(`document.querySelector('#finding-%d .dispute[data-dispute="open"] button[value=upheld]') !== null && `, blame)+settled),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#finding-%d button[value=upheld]`, blame))),
		waitFor(fmt.Sprintf(`document.querySelector('#finding-%d .dispute[data-dispute="upheld"]') !== null`, blame)),
		chromedp.Navigate(base+"/coaching/precision"),
		waitFor(precisionRow+` !== null && `+precisionRow+`.dataset.confirmed === "0" && `+precisionRow+`.dataset.verdicts === "1"`),
	)
}

// signOut ends the browser's session through the menu's form.
func signOut(t *testing.T, b context.Context) {
	t.Helper()
	step(t, b, "sign out",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("form[action='/signout']").submit()`),
		waitFor(`location.pathname === "/signin"`),
	)
}

// TestReviewScreenshots writes the review queue, a review and the dashboard, as a lead sees them on
// the demo data, into $COACHDESK_SCREENSHOTS.
func TestReviewScreenshots(t *testing.T) {
	dir := os.Getenv("COACHDESK_SCREENSHOTS")
	if dir == "" {
		t.Skip("set COACHDESK_SCREENSHOTS to a directory to write the review's screenshots")
	}
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	queue, err := st.ReviewQueue(context.Background(), desk.ReviewFilter{Severity: "error", SampleRate: 10})
	if err != nil || len(queue) == 0 {
		t.Fatalf("the demo has no reply with an error to review: %v", err)
	}
	b := newBrowser(t, execPath)
	signIn(t, b, base, loginWithRole(t, logins, desk.RoleLead))
	for name, path := range map[string]string{
		"review-queue.png":     "/coaching",
		"review-reply.png":     fmt.Sprintf("/coaching/replies/%d", queue[0].MessageID),
		"review-dashboard.png": "/coaching/dashboard",
		"review-precision.png": "/coaching/precision",
	} {
		step(t, b, "open "+path, chromedp.Navigate(base+path), waitFor(settled))
		png, err := chromedp.Run(b, chromedp.CaptureScreenshot()) // the 1280×900 window, as the README shows it
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
