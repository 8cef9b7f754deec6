package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/app"
	"coachdesk/internal/demo"
	"coachdesk/internal/testkit"
	"coachdesk/internal/testkit/pgtest"
)

// Two instances on one PostgreSQL, as behind a load balancer: a browser on instance A hears a
// reply sent through instance B, and the same browser, sent to B, is still signed in and finds the
// draft it typed on A.
func TestTwoInstancesShareOnePostgreSQL(t *testing.T) {
	execPath := needChromium(t)
	db := pgtest.URL(t)
	var logins []demo.Login
	a := testkit.StartAfter(t, db, func(a *app.App) (err error) {
		logins, err = demo.Seed(context.Background(), a.Store, 0)
		return err
	})
	b := testkit.Start(t, db)
	if a.URL == b.URL {
		t.Fatal("both instances answer on one address")
	}
	agents := agentLogins(t, logins)
	anna, mikkel := agents[0], agents[1]
	tk := replyableTicket(t, a.App.Store)

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, a.URL, anna)
	openTicket(t, ctx, a.URL, tk.Number)
	step(t, ctx, "the ticket page on A hears its events", waitFor(liveOpen))

	token, err := b.App.Store.CreateToken(context.Background(), mikkel.Email)
	if err != nil {
		t.Fatal(err)
	}
	api := &testkit.APIClient{T: t, Base: b.URL, Token: token, HTTP: &http.Client{}}
	reply := "Hej Jens\n\nJeg kan se, at pakken er forsinket. Jeg har sendt en ny i dag, og du får den i morgen.\n\nVenlig hilsen\nMikkel"
	sent := time.Now()
	if r := api.Do(http.MethodPost, fmt.Sprintf("/api/v1/tickets/%d/messages", tk.Number), map[string]any{"body": reply}); r.Status != http.StatusCreated && r.Status != http.StatusOK {
		t.Fatalf("reply through B: %d %s", r.Status, r.Body)
	}
	step(t, ctx, "the reply sent through B appears on A without a reload", waitFor(threadShows("Jeg har sendt en ny i dag")))
	t.Logf("a reply sent through B showed on A's page %v after B answered the post", time.Since(sent).Round(time.Millisecond))

	draft := "Hej Jens, jeg følger op på sagen i morgen"
	step(t, ctx, "type a draft on A", typeOver(draft))
	storedDraft(t, a.App.Store, tk, userOf(t, a.App.Store, anna), draft)

	// The browser keeps one cookie per host, whatever the port: B gets A's session as it would
	// behind a load balancer.
	step(t, ctx, "the same browser on B: still signed in, the draft restored",
		chromedp.Navigate(fmt.Sprintf("%s/tickets/%d", b.URL, tk.Number)),
		waitFor(fmt.Sprintf(`location.pathname === "/tickets/%d" && document.querySelector(%q) !== null && `, tk.Number, bodyField)+settled),
		waitFor(bodyIs(draft)),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasPrefix(loc, b.URL) {
		t.Fatalf("the browser is at %q (%v), want instance B at %s", loc, err, b.URL)
	}
}
