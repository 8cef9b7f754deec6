package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

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
