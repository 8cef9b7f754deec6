package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/auth"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit"
)

// Unblocking a user lets them sign in again, but their old session cookie and API token stay dead.
func TestUnblockDoesNotReviveSessionsOrTokens(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	mikkel := e.SignIn("mikkel@coachdesk.test")
	api := e.API("mikkel@coachdesk.test")
	path := "/admin/users/" + strconv.FormatInt(e.Agent2.ID, 10)

	admin.Get("/admin/users")
	if r := admin.Post(path, url.Values{"role": {"agent"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("block: status %d", r.Status)
	}
	admin.Get("/admin/users")
	if r := admin.Post(path, url.Values{"role": {"agent"}, "active": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("unblock: status %d", r.Status)
	}
	if r := mikkel.Get("/inbox"); r.Status != http.StatusSeeOther {
		t.Errorf("the session from before the block opens the inbox again: %d", r.Status)
	}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the token from before the block works again: %d", r.Status)
	}
	again := e.SignIn("mikkel@coachdesk.test")
	if r := again.Get("/inbox"); r.Status != http.StatusOK {
		t.Errorf("a new sign-in after unblocking: %d", r.Status)
	}
	if r := e.API("mikkel@coachdesk.test").Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusOK {
		t.Errorf("a new token after unblocking: %d", r.Status)
	}
}

// A new password ends the sessions signed in with the old one.
func TestNewPasswordEndsSessions(t *testing.T) {
	e := testkit.New(t)
	mikkel := e.SignIn("mikkel@coachdesk.test")
	hash, err := auth.HashPassword("a-brand-new-password")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetPassword(context.Background(), e.Agent2.ID, hash); err != nil {
		t.Fatal(err)
	}
	if r := mikkel.Get("/inbox"); r.Status != http.StatusSeeOther {
		t.Errorf("a session from before the new password opens the inbox: %d", r.Status)
	}
	c := e.Client()
	c.SignIn("mikkel@coachdesk.test", "a-brand-new-password")
	if r := c.Get("/inbox"); r.Status != http.StatusOK {
		t.Errorf("signing in with the new password: %d", r.Status)
	}
}

var resetLinkOnPage = regexp.MustCompile(`<input type="text" readonly value="[^"]*(/reset/[A-Za-z0-9_-]+)" data-secret`)

// makeReset has the admin make a reset link for the user and returns its path.
func makeReset(t *testing.T, admin *testkit.Client, userID int64) string {
	t.Helper()
	admin.Get("/admin/users/" + itoa(userID))
	r := admin.Post("/admin/users/"+itoa(userID)+"/reset", nil)
	m := resetLinkOnPage.FindStringSubmatch(r.Body)
	if r.Status != http.StatusCreated || m == nil {
		t.Fatalf("make a reset link: %d\n%s", r.Status, excerpt(r.Body))
	}
	return m[1]
}

// An admin's reset link lets the user set a new password without a session, once; it ends every
// session the user had, and the link then says it was used.
func TestResetLinkWorksOnce(t *testing.T) {
	e := testkit.New(t)
	mikkel := e.SignIn("mikkel@coachdesk.test")
	admin := e.SignIn("admin@coachdesk.test")
	link := makeReset(t, admin, e.Agent2.ID)
	if again := admin.Get("/admin/users/" + itoa(e.Agent2.ID)); strings.Contains(again.Body, link) {
		t.Error("the reset link is shown again on a later visit")
	}
	var stored int
	if err := e.Store.SessionDB().QueryRow(e.Store.Rebind(`SELECT count(*) FROM password_resets WHERE code_hash = ?`), strings.TrimPrefix(link, "/reset/")).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the code is stored as it is: %d rows, %v", stored, err)
	}

	guest := e.Client()
	r := guest.Get(link)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "mikkel@coachdesk.test") {
		t.Fatalf("open the link: %d\n%s", r.Status, excerpt(r.Body))
	}
	if r := guest.PostNoCSRF(link, url.Values{"new_password": {"forged-new-secret"}, "new_password_repeat": {"forged-new-secret"}}); r.Status != http.StatusForbidden {
		t.Errorf("a reset without the CSRF token: %d, want 403", r.Status)
	}
	r = guest.Post(link, url.Values{"new_password": {"mikkels-new-secret"}, "new_password_repeat": {"mikkels-new-secreT"}})
	if r.Status != http.StatusUnprocessableEntity || besideField(r.Body, "new_password_repeat") == "" {
		t.Errorf("a repeat that differs: %d %q", r.Status, besideField(r.Body, "new_password_repeat"))
	}
	r = guest.Post(link, url.Values{"new_password": {"mikkels-new-secret"}, "new_password_repeat": {"mikkels-new-secret"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `data-reset="done"`) {
		t.Fatalf("set the new password: %d\n%s", r.Status, excerpt(r.Body))
	}
	if r := mikkel.Get("/inbox"); r.Status != http.StatusSeeOther {
		t.Errorf("a session from before the reset still opens the inbox: %d", r.Status)
	}
	e.Client().SignIn("mikkel@coachdesk.test", "mikkels-new-secret")

	r = e.Client().Get(link)
	if r.Status != http.StatusGone || !strings.Contains(r.Body, "already been used") {
		t.Errorf("the link after use: %d\n%s", r.Status, excerpt(r.Body))
	}
	other := e.Client()
	other.Get("/signin")
	if r := other.Post(link, url.Values{"new_password": {"someone-elses-pick"}, "new_password_repeat": {"someone-elses-pick"}}); r.Status != http.StatusGone {
		t.Errorf("a second use: %d, want 410", r.Status)
	}
	e.Client().SignIn("mikkel@coachdesk.test", "mikkels-new-secret")
	if r := e.Client().Get("/reset/not-a-code-at-all"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "not valid") {
		t.Errorf("an unknown code: %d", r.Status)
	}
}

// A reset link says so clearly once it has expired, and sets nothing.
func TestResetLinkExpires(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	link := makeReset(t, admin, e.Agent2.ID)
	later := time.Now().UTC().Add(store.ResetValidity + time.Minute)
	e.Store.SetClock(func() time.Time { return later })

	guest := e.Client()
	r := guest.Get(link)
	if r.Status != http.StatusGone || !strings.Contains(r.Body, "expired") {
		t.Fatalf("an expired link: %d\n%s", r.Status, excerpt(r.Body))
	}
	if r := guest.Post(link, url.Values{"new_password": {"too-late-password"}, "new_password_repeat": {"too-late-password"}}); r.Status != http.StatusGone {
		t.Errorf("using an expired link: %d, want 410", r.Status)
	}
	e.Client().SignIn("mikkel@coachdesk.test", testkit.Password)
}

// An admin does not reset their own password here, nor a blocked user's.
func TestResetRefusesSelfAndBlocked(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	admin.Get("/admin/users")
	if r := admin.Post("/admin/users/"+itoa(e.Admin.ID)+"/reset", nil); r.Status != http.StatusConflict || resetLinkOnPage.MatchString(r.Body) {
		t.Errorf("own reset: %d", r.Status)
	}
	admin.Post("/admin/users/"+itoa(e.Agent2.ID), url.Values{"role": {"agent"}})
	admin.Get("/admin/users")
	if r := admin.Post("/admin/users/"+itoa(e.Agent2.ID)+"/reset", nil); r.Status != http.StatusConflict || resetLinkOnPage.MatchString(r.Body) {
		t.Errorf("a blocked user's reset: %d", r.Status)
	}
}
