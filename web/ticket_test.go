package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// section returns the HTML from the element with id to the end of the page (enough to look inside it).
func section(t *testing.T, html, id string) string {
	t.Helper()
	i := strings.Index(html, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no #%s in:\n%s", id, excerpt(html))
	}
	return html[i:]
}

// between returns the HTML from #from up to #to.
func between(t *testing.T, html, from, to string) string {
	t.Helper()
	s := section(t, html, from)
	if j := strings.Index(s, `id="`+to+`"`); j >= 0 {
		return s[:j]
	}
	return s
}

func TestTicketLifeCycle(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")

	if r := c.Get("/tickets/new"); r.Status != http.StatusOK {
		t.Fatalf("new ticket form: %d", r.Status)
	}
	r := c.Post("/tickets", url.Values{
		"subject": {"Printeren virker ikke"}, "body": {"Den blinker rødt."}, "customer_name": {"Jens Hansen"},
		"customer_email": {"jens@example.dk"}, "priority": {"high"}, "tags": {"Hardware, printer"}, "assignee": {"0"},
	})
	if r.Status != http.StatusSeeOther || r.Location() != "/tickets/1001" {
		t.Fatalf("create ticket: status %d location %q, want 303 to /tickets/1001\n%s", r.Status, r.Location(), excerpt(r.Body))
	}
	tk, err := e.Store.Ticket(ctx, 1001)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != desk.StatusNew || tk.Priority != desk.PriorityHigh || strings.Join(tk.Tags, ",") != "hardware,printer" ||
		tk.Channel != desk.ChannelPhone || tk.FirstResponseAt != nil || tk.Customer.Email != "jens@example.dk" {
		t.Fatalf("created ticket = %+v", tk)
	}
	page := c.Get("/tickets/1001")
	if page.Status != http.StatusOK {
		t.Fatalf("ticket page: %d", page.Status)
	}
	mustContain(t, "ticket page", page.Body, "Printeren virker ikke", "Den blinker rødt.", `id="composer"`, `id="properties"`, `id="audit"`)

	// A reply through the composer as a plain form post: a redirect back, the first response stamped.
	r = c.Post("/tickets/1001/messages", url.Values{"kind": {"reply"}, "body": {"Prøv at slukke og tænde den."}, "status": {""}})
	if r.Status != http.StatusSeeOther || r.Location() != "/tickets/1001" {
		t.Fatalf("reply (form): status %d location %q\n%s", r.Status, r.Location(), excerpt(r.Body))
	}
	tk, _ = e.Store.Ticket(ctx, 1001)
	if tk.FirstResponseAt == nil || tk.Status != desk.StatusOpen {
		t.Fatalf("after the first reply: first response %v, status %s; want a time and open", tk.FirstResponseAt, tk.Status)
	}
	firstResponse := *tk.FirstResponseAt

	// A note through htmx: the fragment carries the thread with the new message and the out-of-band sidebar and trail.
	r = c.PostHTMX("/tickets/1001/messages", "conversation", url.Values{"kind": {"note"}, "body": {"Kunden har model X200."}, "status": {"pending"}})
	if r.Status != http.StatusOK {
		t.Fatalf("note (htmx): status %d", r.Status)
	}
	mustContain(t, "htmx reply fragment", r.Body, `id="thread"`, "Kunden har model X200.", `id="properties"`, `hx-swap-oob="true"`, `id="audit"`)
	mustNotContain(t, "htmx reply fragment", r.Body, "<html", `class="field-error"`)
	tk, _ = e.Store.Ticket(ctx, 1001)
	if tk.Status != desk.StatusPending || !tk.FirstResponseAt.Equal(firstResponse) {
		t.Fatalf("after the note: status %s (want pending), first response %v (want unchanged %v)", tk.Status, tk.FirstResponseAt, firstResponse)
	}

	// An empty reply through htmx: 200 so htmx swaps, the reason beside the text box, nothing stored.
	r = c.PostHTMX("/tickets/1001/messages", "conversation", url.Values{"kind": {"reply"}, "body": {"   "}})
	if r.Status != http.StatusOK {
		t.Fatalf("empty reply (htmx): status %d", r.Status)
	}
	mustContain(t, "empty reply fragment", r.Body, `class="field-error"`, "Write your reply to the customer before you send.")

	// Properties from the sidebar: status, assignee, priority and tags.
	r = c.Post("/tickets/1001/properties", url.Values{"status": {"solved"}, "assignee": {itoa(e.Agent2.ID)}, "priority": {"urgent"}, "tags": {"printer løst"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/tickets/1001" {
		t.Fatalf("properties (form): status %d location %q\n%s", r.Status, r.Location(), excerpt(r.Body))
	}
	tk, _ = e.Store.Ticket(ctx, 1001)
	if tk.Status != desk.StatusSolved || tk.SolvedAt == nil || tk.AssigneeID != e.Agent2.ID || tk.Priority != desk.PriorityUrgent ||
		strings.Join(tk.Tags, ",") != "løst,printer" {
		t.Fatalf("after the properties change: %+v", tk)
	}

	// The sidebar through htmx: one field at a time, answered with the form and the trail.
	r = c.PostHTMX("/tickets/1001/properties", "properties", url.Values{"status": {"open"}})
	if r.Status != http.StatusOK {
		t.Fatalf("properties (htmx): %d", r.Status)
	}
	mustContain(t, "properties fragment", r.Body, `id="properties"`, `id="audit" hx-swap-oob="true"`)
	if strings.Count(r.Body, "hx-swap-oob") != 1 {
		t.Errorf("the properties answer must mark only the trail out-of-band (the form is the target):\n%s", r.Body)
	}
	tk, _ = e.Store.Ticket(ctx, 1001)
	if tk.Status != desk.StatusOpen || tk.SolvedAt != nil || tk.Priority != desk.PriorityUrgent || tk.AssigneeID != e.Agent2.ID {
		t.Fatalf("a partial change must change only the status (and clear the solved time): %+v", tk)
	}

	// The audit trail on the page tells the story.
	page = c.Get("/tickets/1001")
	audit := section(t, page.Body, "audit")
	mustContain(t, "audit trail", audit, "created the ticket", "sent the first response", "Mikkel Agent", "Urgent", "Solved", "løst, printer")
	events, _ := e.Store.Events(ctx, tk.ID)
	var fields []string
	for _, ev := range events {
		fields = append(fields, ev.Field)
	}
	want := "created,first_response,status,status,status,priority,assignee,tags,status"
	if strings.Join(fields, ",") != want {
		t.Fatalf("audit events = %s, want %s", strings.Join(fields, ","), want)
	}
	thread, _ := e.Store.Thread(ctx, tk.ID)
	if len(thread) != 3 || thread[1].Kind != desk.KindReply || thread[2].Kind != desk.KindNote || !thread[1].FromAgent || thread[0].FromAgent {
		t.Fatalf("thread = %+v", thread)
	}
}

func TestSearchInbox(t *testing.T) {
	e := testkit.New(t)
	e.Ticket("Faktura trukket to gange", "Jeg er trukket 1.299 kr. to gange.")
	e.Ticket("Hvor er min pakke?", "Ordre 55120 er ikke kommet.")
	e.Ticket("Kan ikke logge ind", "Adgangskoden virker ikke.")
	c := e.SignIn("anna@coachdesk.test")

	r := c.Get("/inbox?q=faktura")
	if r.Status != http.StatusOK {
		t.Fatalf("search: %d", r.Status)
	}
	list := section(t, r.Body, "ticket-list")
	mustContain(t, "search for faktura", list, "Faktura trukket to gange", `class="ticket-row`, `data-href="/tickets/1001"`)
	mustNotContain(t, "search for faktura", list, "Hvor er min pakke?", "Kan ikke logge ind")

	// A word only in a message body, and a prefix.
	r = c.Get("/inbox?view=all&q=" + url.QueryEscape("ordre 5512"))
	list = section(t, r.Body, "ticket-list")
	mustContain(t, "search in messages", list, "Hvor er min pakke?")
	mustNotContain(t, "search in messages", list, "Faktura trukket")

	// htmx asks for the list only.
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/inbox?view=all&q=adgangskoden", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "ticket-list")
	r = c.Do(req)
	if r.Status != http.StatusOK || strings.Contains(r.Body, "<html") {
		t.Fatalf("htmx search: status %d, a fragment expected:\n%s", r.Status, excerpt(r.Body))
	}
	mustContain(t, "htmx search", r.Body, "Kan ikke logge ind")
	mustNotContain(t, "htmx search", r.Body, "Faktura trukket")

	// Search syntax is text, not an error; a nonsense filter is a message, not a failure.
	for _, q := range []string{`"unclosed`, `a OR b NOT`, `*`, `'); DROP TABLE tickets; --`} {
		if r := c.Get("/inbox?q=" + url.QueryEscape(q)); r.Status != http.StatusOK {
			t.Errorf("search %q: status %d, want 200", q, r.Status)
		}
	}
	r = c.Get("/inbox?view=all&status=bogus")
	if r.Status != http.StatusOK {
		t.Fatalf("inbox with an unknown status filter: %d", r.Status)
	}
	mustContain(t, "unknown status filter", r.Body, `class="alert`, "Pick a status from the list.")
	if n := ticketCount(t, e); n != 3 {
		t.Fatalf("tickets = %d", n)
	}
}

func TestNewTicketEmptySubjectKeepsInput(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	r := c.Post("/tickets", url.Values{"subject": {"  "}, "body": {"Min skærm er sort."}, "customer_name": {"Mette Larsen"},
		"customer_email": {"mette@example.dk"}, "priority": {"high"}, "tags": {"skaerm"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty subject: status %d, want 422", r.Status)
	}
	mustContain(t, "re-rendered form", r.Body, "Min skærm er sort.", `value="Mette Larsen"`, `value="mette@example.dk"`, `value="skaerm"`,
		`class="field-error" id="err-subject"`, "Write a subject.")
	if !regexp.MustCompile(`<option value="high" selected`).MatchString(r.Body) {
		t.Error("the chosen priority was not kept")
	}
	// The message stands beside the subject field, not somewhere else.
	subj := strings.Index(r.Body, `name="subject"`)
	msg := strings.Index(r.Body, `id="err-subject"`)
	body := strings.Index(r.Body, `name="body"`)
	if subj < 0 || msg < subj || msg > body {
		t.Errorf("the subject error is not beside the subject field (subject at %d, error at %d, body at %d)", subj, msg, body)
	}
	// A bad e-mail names its own field.
	r = c.Post("/tickets", url.Values{"subject": {"Sort skærm"}, "body": {"x"}, "customer_name": {"Mette"}, "customer_email": {"not-an-address"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad e-mail: status %d", r.Status)
	}
	mustContain(t, "bad e-mail form", r.Body, `id="err-customer.email"`, "Write a valid e-mail address", `value="Sort skærm"`)
	if n := ticketCount(t, e); n != 0 {
		t.Fatalf("bad input wrote %d tickets", n)
	}
}

func TestTicketNotFoundPage(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	for _, path := range []string{"/tickets/99999", "/tickets/abc", "/tickets/-3", "/no/such/page"} {
		r := c.Get(path)
		if r.Status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.Status)
			continue
		}
		mustContain(t, path, r.Body, "Not found")
	}
	r := c.Post("/tickets/99999/messages", url.Values{"body": {"Hallo?"}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("reply to a missing ticket: %d, want 404", r.Status)
	}
	r = c.Post("/tickets/99999/properties", url.Values{"status": {"open"}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("properties of a missing ticket: %d, want 404", r.Status)
	}
}

func TestPropertiesUnknownStatus(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	tk := e.Ticket("Login", "Jeg kan ikke logge ind.")
	c := e.SignIn("anna@coachdesk.test")
	r := c.Post("/tickets/"+itoa(tk.Number)+"/properties", url.Values{"status": {"done"}, "priority": {"urgent"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown status: %d, want 422", r.Status)
	}
	mustContain(t, "properties error", section(t, r.Body, "properties"), `class="alert`, "Pick a status from the list.")
	r = c.PostHTMX("/tickets/"+itoa(tk.Number)+"/properties", "properties", url.Values{"assignee": {"abc"}})
	if r.Status != http.StatusOK {
		t.Fatalf("bad assignee (htmx): %d", r.Status)
	}
	mustContain(t, "bad assignee fragment", r.Body, `class="alert`, "Pick an active agent as assignee.")
	got, _ := e.Store.Ticket(ctx, tk.Number)
	events, _ := e.Store.Events(ctx, tk.ID)
	if got.Status != desk.StatusNew || got.Priority != desk.PriorityNormal || got.AssigneeID != 0 || len(events) != 1 {
		t.Fatalf("a rejected change wrote: %+v, %d events", got, len(events))
	}
}

func TestClosedTicketRefusesReply(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	tk := e.Ticket("Gammel sag", "Tak for hjælpen.")
	c := e.SignIn("anna@coachdesk.test")
	if r := c.Post("/tickets/"+itoa(tk.Number)+"/properties", url.Values{"status": {"closed"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("close: %d", r.Status)
	}
	r := c.Post("/tickets/"+itoa(tk.Number)+"/messages", url.Values{"kind": {"reply"}, "body": {"Nogen nyheder?"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("reply to a closed ticket: status %d, want 409", r.Status)
	}
	mustContain(t, "closed ticket page", r.Body, "is closed", "Nogen nyheder?")
	r = c.Post("/tickets/"+itoa(tk.Number)+"/properties", url.Values{"status": {"open"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("reopen a closed ticket: status %d, want 409", r.Status)
	}
	thread, _ := e.Store.Thread(ctx, tk.ID)
	got, _ := e.Store.Ticket(ctx, tk.Number)
	if len(thread) != 1 || got.Status != desk.StatusClosed {
		t.Fatalf("a closed ticket changed: %d messages, status %s", len(thread), got.Status)
	}
}

func TestCustomerHTMLIsSanitised(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	r := api.Do(http.MethodPost, "/api/v1/tickets", map[string]any{
		"subject":  "Ondsindet <script>alert('subject')</script>",
		"customer": map[string]string{"name": "Eve <b>", "email": "eve@example.dk"},
		"body":     `<p>Hej, <b>min ordre</b> mangler.</p><script>alert('x')</script><img src="x" onerror="alert('y')"><a href="javascript:alert(1)">klik</a>`,
		"html":     true,
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	// A plain-text message carrying markup is shown as text.
	if r := api.Do(http.MethodPost, "/api/v1/tickets/1001/messages", map[string]any{"kind": "note", "body": `Se <script>alert(2)</script> her`}); r.Status != http.StatusCreated {
		t.Fatalf("note: %d %s", r.Status, r.Body)
	}
	c := e.SignIn("anna@coachdesk.test")
	page := c.Get("/tickets/1001")
	if page.Status != http.StatusOK {
		t.Fatalf("ticket page: %d", page.Status)
	}
	body := page.Body[strings.Index(page.Body, "<body"):]
	mustNotContain(t, "ticket page body", body, "<script", "onerror", "javascript:")
	mustNotContain(t, "ticket page", page.Body, "onerror=", "<script>alert")
	thread := between(t, page.Body, "thread", "composer")
	mustContain(t, "thread", thread, "<b>min ordre</b>", "mangler.", "Se &lt;script&gt;alert(2)&lt;/script&gt; her")
	mustContain(t, "header", page.Body, "Ondsindet &lt;script&gt;")
}
