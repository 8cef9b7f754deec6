package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"coachdesk/internal/auth"
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
