package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

func TestSupportFormCreatesTicket(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	c := e.Client()
	if r := c.Get("/support"); r.Status != http.StatusOK || testkit.CSRFFrom(r.Body) == "" {
		t.Fatalf("support form: status %d, no CSRF token", r.Status)
	}
	r := c.Post("/support", url.Values{"name": {"Birgitte Nielsen"}, "email": {"birgitte@example.dk"}, "subject": {"Returnering"},
		"message": {"Kjolen passede ikke. <script>alert(1)</script>"}, "website": {""}})
	if r.Status != http.StatusOK {
		t.Fatalf("submit: status %d\n%s", r.Status, excerpt(r.Body))
	}
	mustContain(t, "confirmation", r.Body, "#1001", "birgitte@example.dk", "Thank you")
	tk, err := e.Store.Ticket(ctx, 1001)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Subject != "Returnering" || tk.Channel != desk.ChannelWeb || tk.Status != desk.StatusNew || tk.Customer.Name != "Birgitte Nielsen" {
		t.Fatalf("ticket from the form = %+v", tk)
	}
	thread, _ := e.Store.Thread(ctx, tk.ID)
	if len(thread) != 1 || thread[0].FromAgent || thread[0].HTML || thread[0].Body != "Kjolen passede ikke. <script>alert(1)</script>" {
		t.Fatalf("thread = %+v", thread)
	}
	// The customer is not signed in by writing to support.
	if r := c.Get("/inbox"); r.Status != http.StatusSeeOther {
		t.Fatalf("inbox after the support form: %d, want a redirect", r.Status)
	}
}

func TestSupportFormHoneypot(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	r := c.Post("/support", url.Values{"name": {"Bot"}, "email": {"bot@example.dk"}, "subject": {"Cheap pills"},
		"message": {"Buy now"}, "website": {"http://spam.example"}})
	if r.Status != http.StatusOK {
		t.Fatalf("honeypot submit: status %d", r.Status)
	}
	mustContain(t, "honeypot confirmation", r.Body, "Thank you")
	if n := ticketCount(t, e); n != 0 {
		t.Fatalf("the honeypot let a ticket through: %d tickets", n)
	}
}

func TestSupportFormBadInput(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	r := c.Post("/support", url.Values{"name": {"Søren"}, "email": {"soeren@example.dk"}, "subject": {""}, "message": {"Hvor er mine penge?"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty subject: status %d, want 422", r.Status)
	}
	mustContain(t, "support form", r.Body, `id="err-subject"`, "Write a subject.", `value="Søren"`, `value="soeren@example.dk"`, "Hvor er mine penge?")
	r = c.Post("/support", url.Values{"name": {"Søren"}, "email": {"nope"}, "subject": {"Penge"}, "message": {"Hvor er mine penge?"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad e-mail: status %d, want 422", r.Status)
	}
	mustContain(t, "support form", r.Body, `id="err-customer.email"`)
	if r := c.PostNoCSRF("/support", url.Values{"name": {"Søren"}, "email": {"soeren@example.dk"}, "subject": {"Penge"}, "message": {"x"}}); r.Status != http.StatusForbidden {
		t.Fatalf("support form without CSRF: %d, want 403", r.Status)
	}
	if n := ticketCount(t, e); n != 0 {
		t.Fatalf("bad input wrote %d tickets", n)
	}
}

func TestSupportFormLimitPerAddress(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	form := url.Values{"name": {"Karen"}, "email": {"karen@example.dk"}, "subject": {"Pude"}, "message": {"Forkert farve."}}
	for i := range 5 {
		if r := c.Post("/support", form); r.Status != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, r.Status)
		}
	}
	r := c.Post("/support", form)
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("sixth request: status %d, want 429", r.Status)
	}
	mustContain(t, "limited form", r.Body, `class="alert`, "Forkert farve.")
	if n := ticketCount(t, e); n != 5 {
		t.Fatalf("tickets = %d, want 5", n)
	}
}

// A Danish visitor reads the form's errors in Danish: messages come from the catalogue, not the domain's English.
func TestSupportFormErrorsInDanish(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	req, err := c.FormRequest("/support", url.Values{"name": {"Søren"}, "email": {"nope"}, "subject": {"Penge"}, "message": {"Hvor er mine penge?"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Language", "da")
	r := c.Do(req)
	mustContain(t, "Danish support form", r.Body, `id="err-customer.email"`, "Skriv en gyldig e-mailadresse", `value="Søren"`)
}

// A customer's message over the message limit comes back in the form, beside the message, with
// everything typed: nothing is stored and nothing is lost.
func TestSupportFormOverlongMessageKeepsTheText(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	message := strings.Repeat("Varen kom i stykker. ", (desk.MaxBody+2048)/21) + "SLUTMÆRKE"
	r := c.Post("/support", url.Values{"name": {"Karen Blixen"}, "email": {"karen@example.dk"}, "subject": {"Ødelagt vare"}, "message": {message}})
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("an over-long message: status %d, want 413", r.Status)
	}
	mustContain(t, "support form", r.Body, `id="err-body"`, "it can be at most 64 KB", `value="Karen Blixen"`, `value="karen@example.dk"`,
		html.EscapeString("Ødelagt vare"), "SLUTMÆRKE</textarea>")
	if n := ticketCount(t, e); n != 0 {
		t.Fatalf("an over-long message wrote %d tickets", n)
	}
}
