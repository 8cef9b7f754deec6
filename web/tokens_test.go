package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/auth"
	"coachdesk/internal/testkit"
)

func TestOnlyAnIntegrationTokenSpeaksForTheCustomer(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Levering", "Hvor er min pakke?")
	path := "/api/v1/tickets/" + itoa(tk.Number) + "/messages"
	msg := map[string]any{"from": "customer", "body": "Jeg venter stadig."}

	r := e.API("anna@coachdesk.test").Do(http.MethodPost, path, msg)
	if r.Status != http.StatusForbidden || r.Err(t).Error.Field != "from" {
		t.Fatalf("an agent's token posting as the customer: %d %s, want 403 naming from", r.Status, r.Body)
	}
	if r := e.Integration("anna@coachdesk.test", "mail gateway").Do(http.MethodPost, path, msg); r.Status != http.StatusCreated {
		t.Fatalf("an integration token posting as the customer: %d %s", r.Status, r.Body)
	}
}

func TestTokensExpireAndAreRevoked(t *testing.T) {
	e := testkit.New(t)
	ctx := context.Background()
	secret, tok, err := e.Store.IssueToken(ctx, "anna@coachdesk.test", "script", false, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	api := &testkit.APIClient{T: t, Base: e.URL, Token: secret, HTTP: &http.Client{}}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusOK {
		t.Fatalf("a fresh token: %d", r.Status)
	}
	list, err := e.Store.Tokens(ctx, e.Agent.ID)
	if err != nil || len(list) != 1 || list[0].Name != "script" || list[0].LastUsedAt == nil || list[0].Owner != "anna@coachdesk.test" {
		t.Fatalf("listed: %+v, %v", list, err)
	}
	if err := e.Store.RevokeToken(ctx, tok.ID, e.Agent.ID); err != nil {
		t.Fatal(err)
	}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", r.Status)
	}
	old, _, err := e.Store.IssueToken(ctx, "anna@coachdesk.test", "old", false, time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	expired := &testkit.APIClient{T: t, Base: e.URL, Token: old, HTTP: &http.Client{}}
	if r := expired.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("an expired token: %d, want 401", r.Status)
	}
}

var secretOnPage = regexp.MustCompile(`<input type="text" readonly value="([^"]+)" data-secret`)

// A user creates a token on /account and sees its secret once; the list shows it without the
// secret; revoking it stops it at once, and nobody revokes another user's token from there.
func TestOwnTokensOnTheAccountPage(t *testing.T) {
	e := testkit.New(t)
	anna := e.SignIn("anna@coachdesk.test")
	anna.Get("/account")
	r := anna.Post("/account/tokens", url.Values{"token_name": {"Rapport-script"}, "expires_days": {"30"}})
	m := secretOnPage.FindStringSubmatch(r.Body)
	if r.Status != http.StatusCreated || m == nil {
		t.Fatalf("create: %d, secret shown: %v\n%s", r.Status, m != nil, excerpt(r.Body))
	}
	secret := m[1]
	api := &testkit.APIClient{T: t, Base: e.URL, Token: secret, HTTP: &http.Client{}}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusOK {
		t.Fatalf("the new token: %d", r.Status)
	}
	page := anna.Get("/account")
	mustContain(t, "the token list", page.Body, "Rapport-script")
	mustNotContain(t, "the token list", page.Body, secret, auth.HashToken(secret))
	list, _ := e.Store.Tokens(context.Background(), e.Agent.ID)
	if len(list) != 1 || list[0].ExpiresAt == nil || time.Until(*list[0].ExpiresAt) < 29*24*time.Hour {
		t.Fatalf("stored: %+v", list)
	}
	if list[0].Integration {
		t.Error("a token from the account page is an integration's")
	}

	// Another user's token is not anna's to revoke.
	_, other, _ := e.Store.IssueToken(context.Background(), "mikkel@coachdesk.test", "mikkels", false, time.Time{})
	if r := anna.Post("/account/tokens/"+itoa(other.ID)+"/revoke", nil); r.Status != http.StatusNotFound {
		t.Errorf("revoking someone else's token: %d, want 404", r.Status)
	}
	if r := anna.Post("/account/tokens/"+itoa(list[0].ID)+"/revoke", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", r.Status)
	}

	anna.Get("/account")
	r = anna.Post("/account/tokens", url.Values{"token_name": {" "}, "expires_days": {"7"}})
	if r.Status != http.StatusUnprocessableEntity || besideField(r.Body, "token_name") == "" || besideField(r.Body, "expires_days") == "" {
		t.Errorf("a token without a name and an unknown expiry: %d, %q, %q", r.Status, besideField(r.Body, "token_name"), besideField(r.Body, "expires_days"))
	}
	if r := anna.Post("/account/tokens", url.Values{"token_name": {"gateway"}, "integration": {"1"}}); r.Status != http.StatusForbidden {
		t.Errorf("an agent creates an integration token: %d, want 403", r.Status)
	}
}

// Admins see every token with its owner and revoke any of them; an integration token made there may
// speak for the customer.
func TestAdminTokensPage(t *testing.T) {
	e := testkit.New(t)
	ctx := context.Background()
	secret, _, _ := e.Store.IssueToken(ctx, "mikkel@coachdesk.test", "mikkels-script", false, time.Time{})
	admin := e.SignIn("admin@coachdesk.test")
	admin.Get("/account")
	r := admin.Post("/account/tokens", url.Values{"token_name": {"Mail gateway"}, "integration": {"1"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("an admin creates an integration token: %d", r.Status)
	}
	page := admin.Get("/admin/tokens")
	if page.Status != http.StatusOK {
		t.Fatalf("/admin/tokens: %d", page.Status)
	}
	mustContain(t, "all tokens", page.Body, "mikkels-script", "mikkel@coachdesk.test", "Mail gateway", "admin@coachdesk.test")
	mustNotContain(t, "all tokens", page.Body, secret)
	list, _ := e.Store.Tokens(ctx, e.Agent2.ID)
	if r := admin.Post("/admin/tokens/"+itoa(list[0].ID)+"/revoke", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke mikkel's token: %d", r.Status)
	}
	api := &testkit.APIClient{T: t, Base: e.URL, Token: secret, HTTP: &http.Client{}}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a token an admin revoked: %d, want 401", r.Status)
	}
	if all, _ := e.Store.Tokens(ctx, e.Admin.ID); len(all) != 1 || !all[0].Integration {
		t.Errorf("the admin's token: %+v", all)
	}
}

// A customer's message an integration posted names the token in the ticket's audit trail.
func TestTokenPostIsInTheAuditTrail(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Faktura", "Jeg har fået to regninger.")
	gateway := e.Integration("admin@coachdesk.test", "Postkasse-bro")
	r := gateway.Do(http.MethodPost, "/api/v1/tickets/"+itoa(tk.Number)+"/messages", map[string]any{"from": "customer", "body": "Her er den anden regning."})
	if r.Status != http.StatusCreated {
		t.Fatalf("post as the customer: %d %s", r.Status, r.Body)
	}
	page := e.SignIn("anna@coachdesk.test").Get("/tickets/" + itoa(tk.Number))
	audit := section(t, page.Body, "audit")
	if end := strings.Index(audit, "</ol>"); end > 0 {
		audit = audit[:end]
	}
	mustContain(t, "the audit trail", audit, "Astrid Admin posted the customer&#39;s message through the API token “Postkasse-bro”")
}
