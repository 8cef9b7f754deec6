package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

// A form with several mistakes says every one at once, each beside its field, with the message for
// that mistake: an empty field says it is missing, not that it is too long.
func TestFormsShowEveryProblemAtOnce(t *testing.T) {
	e := testkit.New(t)
	e.AddUser("Lea Lead", "lea@example.dk", desk.RoleLead)
	lead := e.SignIn("lea@example.dk")
	lead.Get("/tickets/new")

	r := lead.Post("/tickets", url.Values{"subject": {" "}, "body": {""}, "customer_name": {"\u200b"}, "customer_email": {"ida@"}, "tags": {"ok, ikke-ok!"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("new ticket with four mistakes: status %d, want 422", r.Status)
	}
	mustContain(t, "new-ticket form", r.Body, "Write a subject.", "Write a message before sending.", "Write a name.",
		"Write a valid e-mail address", "Tags can only have letters", `value="ida@"`)
	if strings.Contains(r.Body, "at most 200 characters") {
		t.Errorf("an empty subject is described as too long")
	}

	support := e.Client()
	support.Get("/support")
	r = support.Post("/support", url.Values{"name": {""}, "email": {""}, "subject": {strings.Repeat("x", desk.MaxSubject+1)}, "message": {"Min ordre er ikke kommet."}, "website": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("support form with three mistakes: status %d, want 422\n%s", r.Status, excerpt(r.Body))
	}
	mustContain(t, "support form", r.Body, "Write a name.", "Write an e-mail address.",
		"Write a subject of at most 200 characters.", "Min ordre er ikke kommet.")

	lead.Get("/saved-replies")
	r = lead.Post("/saved-replies", url.Values{"title": {strings.Repeat("å", desk.MaxReplyName+1)}, "body": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("saved reply with two mistakes: status %d, want 422", r.Status)
	}
	mustContain(t, "saved-reply form", r.Body, "Write a title of at most 120 characters.", "Write a message before sending.")
}
