package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit"
)

const sessionCookie = "coachdesk_session"

// ticketCount counts every ticket in the database.
func ticketCount(t *testing.T, e *testkit.Env) int {
	t.Helper()
	n := 0
	f := desk.Filter{View: desk.ViewAll, Limit: desk.MaxPageSize}
	for {
		page, err := e.Store.ListTickets(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Tickets)
		if page.Next == "" {
			return n
		}
		f.After = page.Next
	}
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q in:\n%s", what, w, excerpt(body))
		}
	}
}

func mustNotContain(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s: must not contain %q:\n%s", what, w, excerpt(body))
		}
	}
}

func excerpt(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "\n…"
	}
	return s
}

func TestSignInGoodPassword(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	page := c.Get("/signin")
	if page.Status != http.StatusOK || testkit.CSRFFrom(page.Body) == "" {
		t.Fatalf("sign-in page: status %d, CSRF token %q", page.Status, testkit.CSRFFrom(page.Body))
	}
	r := c.Post("/signin", url.Values{"email": {"  ANNA@coachdesk.test "}, "password": {testkit.Password}, "next": {"/tickets/new"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/tickets/new" {
		t.Fatalf("good sign-in: status %d location %q, want 303 to /tickets/new", r.Status, r.Location())
	}
	if c.Cookie(sessionCookie) == "" {
		t.Fatal("no session cookie after signing in")
	}
	inbox := c.Get("/inbox")
	if inbox.Status != http.StatusOK {
		t.Fatalf("inbox after sign-in: %d", inbox.Status)
	}
	mustContain(t, "inbox", inbox.Body, "Anna Agent", `id="search"`)

	// An offsite next is not followed.
	c2 := e.Client()
	r = c2.Post("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {testkit.Password}, "next": {"//evil.example/x"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/inbox" {
		t.Fatalf("offsite next: status %d location %q, want 303 to /inbox", r.Status, r.Location())
	}
}

func TestSignInBadPassword(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	for _, email := range []string{"anna@coachdesk.test", "nobody@coachdesk.test"} {
		r := c.Post("/signin", url.Values{"email": {email}, "password": {"wrong password"}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("%s with a bad password: status %d, want 401", email, r.Status)
		}
		mustContain(t, "bad password page", r.Body, "E-mail or password is wrong.", `class="alert`, `value="`+email+`"`)
		if c.Get("/inbox").Status != http.StatusSeeOther {
			t.Fatalf("%s: a failed sign-in must not sign in", email)
		}
	}
}

func TestSignInRateLimited(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	bad := url.Values{"email": {"anna@coachdesk.test"}, "password": {"guessing-wrong"}}
	for i := range 5 {
		if r := c.Post("/signin", bad); r.Status != http.StatusUnauthorized {
			t.Fatalf("failed attempt %d: status %d, want 401", i+1, r.Status)
		}
	}
	// The account's budget is spent: even the right password is refused, with a message that says why.
	r := c.Post("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {testkit.Password}})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: status %d, want 429", r.Status)
	}
	mustContain(t, "rate-limited page", r.Body, "Too many attempts")
	if c.Get("/inbox").Status != http.StatusSeeOther {
		t.Fatal("a rate-limited sign-in must not sign in")
	}
	// Another account from the same address still has its own budget.
	c2 := e.Client()
	c2.SignIn("mikkel@coachdesk.test", testkit.Password)
}

func TestSignInRateLimitedPerAddress(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	// 20 failures from one address, spread over accounts so that no account reaches its own limit …
	for i := range 20 {
		email := []string{"anna", "mikkel", "lead", "admin"}[i%4] + "@coachdesk.test"
		if r := c.Post("/signin", url.Values{"email": {email}, "password": {"wrong-password"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("failed attempt %d: status %d, want 401", i+1, r.Status)
		}
	}
	// … and the address is stopped, even for an account that has not failed at all.
	e.AddUser("Frisk Agent", "frisk@coachdesk.test", desk.RoleAgent)
	r := c.Post("/signin", url.Values{"email": {"frisk@coachdesk.test"}, "password": {testkit.Password}})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("after 20 failures from one address: status %d, want 429", r.Status)
	}
	mustContain(t, "rate-limited page", r.Body, "Too many attempts")
}

func TestSignOut(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	old := c.Cookie(sessionCookie)
	if old == "" {
		t.Fatal("no session cookie")
	}
	r := c.Post("/signout", nil)
	if r.Status != http.StatusSeeOther || r.Location() != "/signin" {
		t.Fatalf("sign out: status %d location %q", r.Status, r.Location())
	}
	if got := c.Get("/inbox"); got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Location(), "/signin") {
		t.Fatalf("inbox after sign-out: status %d location %q, want a redirect to /signin", got.Status, got.Location())
	}
	// The session is gone from the database …
	var rows int
	if err := e.Store.SessionDB().QueryRow(e.Store.Rebind("SELECT COUNT(*) FROM sessions WHERE token = ?"), store.SessionKey(old)).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Fatalf("the signed-out session is still stored (%d rows)", rows)
	}
	// … so someone who kept the old cookie gets nothing with it.
	thief := e.Client()
	thief.SetCookie(sessionCookie, old)
	if got := thief.Get("/inbox"); got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Location(), "/signin") {
		t.Fatalf("old session cookie after sign-out: status %d location %q, want a redirect to /signin", got.Status, got.Location())
	}
}

func TestSessionRenewedOnSignIn(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	c.Get("/signin")
	c.Post("/signin", url.Values{"email": {"x@coachdesk.test"}, "password": {"wrong-wrong"}})
	before := c.Cookie(sessionCookie)
	c.SignIn("anna@coachdesk.test", testkit.Password)
	if after := c.Cookie(sessionCookie); after == "" || after == before {
		t.Fatalf("the session token must change on sign-in (before %q, after %q)", before, after)
	}
}

func TestCSRFRejected(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	tk := e.Ticket("Pakken er væk", "Hvor er den?")
	form := url.Values{"subject": {"Forged"}, "body": {"forged body"}, "customer_name": {"Eve"}, "customer_email": {"eve@example.dk"}}

	r := c.PostNoCSRF("/tickets", form)
	if r.Status != http.StatusForbidden {
		t.Fatalf("POST /tickets without a CSRF token: status %d, want 403", r.Status)
	}
	mustContain(t, "CSRF page", r.Body, "The form has expired")
	form.Set("_csrf", "not-the-token")
	if r := c.Post("/tickets", form); r.Status != http.StatusForbidden {
		t.Fatalf("POST /tickets with a wrong CSRF token: status %d, want 403", r.Status)
	}
	if r := c.PostNoCSRF("/tickets/"+itoa(tk.Number)+"/messages", url.Values{"body": {"forged reply"}}); r.Status != http.StatusForbidden {
		t.Fatalf("POST a reply without a CSRF token: status %d, want 403", r.Status)
	}
	if r := c.PostNoCSRF("/tickets/"+itoa(tk.Number)+"/properties", url.Values{"status": {"solved"}}); r.Status != http.StatusForbidden {
		t.Fatalf("POST properties without a CSRF token: status %d, want 403", r.Status)
	}
	if r := c.PostNoCSRF("/signout", nil); r.Status != http.StatusForbidden {
		t.Fatalf("POST /signout without a CSRF token: status %d, want 403", r.Status)
	}

	if n := ticketCount(t, e); n != 1 {
		t.Fatalf("a rejected form wrote: %d tickets, want 1", n)
	}
	thread, _ := e.Store.Thread(context.Background(), tk.ID)
	got, _ := e.Store.Ticket(context.Background(), tk.Number)
	if len(thread) != 1 || got.Status != desk.StatusNew {
		t.Fatalf("a rejected form wrote: %d messages, status %s", len(thread), got.Status)
	}
	if c.Get("/inbox").Status != http.StatusOK {
		t.Fatal("a forged sign-out must not sign out")
	}
}

func TestRoles(t *testing.T) {
	e := testkit.New(t)
	agent := e.SignIn("anna@coachdesk.test")
	if r := agent.Get("/admin/users"); r.Status != http.StatusForbidden {
		t.Fatalf("agent GET /admin/users: status %d, want 403", r.Status)
	}
	if r := agent.Post("/admin/users", url.Values{"name": {"Mallory"}, "email": {"mallory@coachdesk.test"}, "role": {"admin"}, "password": {"long-enough-pass"}}); r.Status != http.StatusForbidden {
		t.Fatalf("agent POST /admin/users: status %d, want 403", r.Status)
	}
	if r := agent.Post("/saved-replies", url.Values{"title": {"Tak"}, "body": {"Tak for din besked."}}); r.Status != http.StatusForbidden {
		t.Fatalf("agent POST /saved-replies: status %d, want 403", r.Status)
	}
	replies, _ := e.Store.SavedReplies(context.Background())
	if len(replies) != 0 {
		t.Fatalf("a refused saved reply was stored: %+v", replies)
	}
	if _, err := e.Store.UserByEmail(context.Background(), "mallory@coachdesk.test"); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("a refused user was created (err %v)", err)
	}
	if r := agent.Get("/saved-replies"); r.Status != http.StatusOK {
		t.Fatalf("agent GET /saved-replies: %d, want 200", r.Status)
	}

	lead := e.SignIn("lead@coachdesk.test")
	if r := lead.Post("/saved-replies", url.Values{"title": {"Tak"}, "body": {"Tak for din besked."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("lead POST /saved-replies: status %d, want 303", r.Status)
	}
	if r := lead.Get("/admin/users"); r.Status != http.StatusForbidden {
		t.Fatalf("lead GET /admin/users: status %d, want 403", r.Status)
	}
	admin := e.SignIn("admin@coachdesk.test")
	if r := admin.Get("/admin/users"); r.Status != http.StatusOK {
		t.Fatalf("admin GET /admin/users: status %d, want 200", r.Status)
	}

	anon := e.Client()
	for _, path := range []string{"/inbox", "/tickets/1001", "/admin/users", "/saved-replies"} {
		r := anon.Get(path)
		if r.Status != http.StatusSeeOther || r.Location() != "/signin?next="+url.QueryEscape(path) {
			t.Errorf("anonymous GET %s: status %d location %q, want 303 to /signin?next=%s", path, r.Status, r.Location(), path)
		}
	}
}

func TestSignInReturnsToTheAskedPage(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	r := c.Get("/inbox?view=all&q=faktura")
	if r.Status != http.StatusSeeOther {
		t.Fatalf("anonymous inbox: %d", r.Status)
	}
	page := c.Get(r.Location())
	mustContain(t, "sign-in page", page.Body, `name="next" value="/inbox?view=all&amp;q=faktura"`)
	r = c.Post("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {testkit.Password}, "next": {"/inbox?view=all&q=faktura"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/inbox?view=all&q=faktura" {
		t.Fatalf("after sign-in: %d to %q, want the search asked for", r.Status, r.Location())
	}
}

func TestHTMXAfterSessionEndsRedirectsTheWindow(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Sag", "Hej")
	c := e.SignIn("anna@coachdesk.test")
	c.Post("/signout", nil)
	c.Get("/signin") // a fresh CSRF token for the anonymous session
	req, err := c.HTMXRequest(fmt.Sprintf("/tickets/%d/properties", tk.Number), "properties", url.Values{"status": {"solved"}})
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("HX-Current-URL", fmt.Sprintf("%s/tickets/%d", e.URL, tk.Number))
	r := c.Do(req)
	want := "/signin?next=" + url.QueryEscape(fmt.Sprintf("/tickets/%d", tk.Number))
	if r.Status != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != want || strings.Contains(r.Body, "<form") {
		t.Fatalf("htmx call without a session: status %d, HX-Redirect %q (want 401 and %q), body %q", r.Status, r.Header.Get("HX-Redirect"), want, excerpt(r.Body))
	}
	if got, _ := e.Store.Ticket(context.Background(), tk.Number); got.Status != desk.StatusNew {
		t.Fatalf("an anonymous change was applied: %s", got.Status)
	}
}

// The sessions table keeps a hash of each token, never the cookie's value: a copy of the database
// (a backup, a stolen file) signs nobody in.
func TestSessionTokensAreStoredHashed(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	token := c.Cookie(sessionCookie)
	if token == "" {
		t.Fatal("no session cookie")
	}
	var raw, hashed int
	db := e.Store.SessionDB()
	if err := db.QueryRow(e.Store.Rebind("SELECT COUNT(*) FROM sessions WHERE token = ?"), token).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(e.Store.Rebind("SELECT COUNT(*) FROM sessions WHERE token = ?"), store.SessionKey(token)).Scan(&hashed); err != nil {
		t.Fatal(err)
	}
	if raw != 0 || hashed != 1 {
		t.Fatalf("rows under the cookie's token: %d (want 0), under its hash: %d (want 1)", raw, hashed)
	}
	if r := c.Get("/inbox"); r.Status != http.StatusOK {
		t.Fatalf("the hashed session no longer signs in: %d", r.Status)
	}
}
