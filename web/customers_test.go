package web_test

import (
	"net/http"
	"strings"
	"testing"

	"coachdesk/internal/testkit"
)

func TestCustomerSuggestions(t *testing.T) {
	e := testkit.New(t)
	e.Ticket("Pakke", "Hvor er den?") // customer Jens Hansen <jens@example.dk>
	c := e.SignIn("anna@coachdesk.test")
	r := c.Get("/customers/suggest?customer_email=jens")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	mustContain(t, "suggestions", r.Body, `<option value="jens@example.dk" data-name="Jens Hansen">`)
	if r := c.Get("/customers/suggest?customer_email=%25%25"); strings.Contains(r.Body, "<option") {
		t.Errorf("a LIKE wildcard must match literally, got %s", r.Body)
	}
	if r := e.Client().Get("/customers/suggest?customer_email=jens"); r.Status != http.StatusSeeOther {
		t.Errorf("anonymous: status %d, want a redirect to sign in", r.Status)
	}
}
