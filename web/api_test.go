package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

type apiTicket struct {
	ID       int64  `json:"id"`
	Subject  string `json:"subject"`
	Status   string `json:"status"`
	Priority string `json:"priority"`
	Assignee *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"assignee"`
	Customer struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"customer"`
	Channel         string     `json:"channel"`
	Tags            []string   `json:"tags"`
	FirstResponseAt *time.Time `json:"first_response_at"`
	SolvedAt        *time.Time `json:"solved_at"`
	Messages        []struct {
		ID        int64  `json:"id"`
		Kind      string `json:"kind"`
		Author    string `json:"author"`
		FromAgent bool   `json:"from_agent"`
		Body      string `json:"body"`
	} `json:"messages"`
}

type apiList struct {
	Tickets []apiTicket `json:"tickets"`
	Next    string      `json:"next"`
}

func TestAPIAuthentication(t *testing.T) {
	e := testkit.New(t)
	good := e.API("anna@coachdesk.test")
	for name, token := range map[string]string{"no token": "", "bad token": "cd_not-a-real-token", "blank": "   "} {
		a := *good
		a.Token = token
		r := a.Do(http.MethodGet, "/api/v1/tickets", nil)
		if r.Status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, r.Status)
			continue
		}
		if e := r.Err(t); e.Error.Code != desk.EUNAUTHORIZED {
			t.Errorf("%s: code %q", name, e.Error.Code)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: content type %q", name, ct)
		}
	}
	noAuth := *good
	noAuth.Token = ""
	if r := noAuth.Do(http.MethodPost, "/api/v1/tickets", `{"subject":"x"}`); r.Status != http.StatusUnauthorized {
		t.Errorf("POST without a token: %d", r.Status)
	}
	if n := ticketCount(t, e); n != 0 {
		t.Fatalf("an unauthenticated call wrote %d tickets", n)
	}
	if r := good.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusOK {
		t.Fatalf("good token: %d %s", r.Status, r.Body)
	}
	// The scheme's case does not matter; another scheme is no token.
	for header, want := range map[string]int{"bearer " + good.Token: 200, "BEARER " + good.Token: 200, "Basic " + good.Token: 401, good.Token: 401} {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/v1/tickets", nil)
		req.Header.Set("Authorization", header)
		if r := (&testkit.Client{T: t, HTTP: http.DefaultClient}).Do(req); r.Status != want {
			t.Errorf("Authorization %.12q…: status %d, want %d", header, r.Status, want)
		}
	}
	// A session cookie is no API credential, and a token opens no page.
	c := e.SignIn("anna@coachdesk.test")
	if r := c.Get("/api/v1/tickets"); r.Status != http.StatusUnauthorized {
		t.Fatalf("API with a session cookie only: %d, want 401", r.Status)
	}
	if r := good.Do(http.MethodGet, "/api/v1/nope", nil); r.Status != http.StatusNotFound || r.Err(t).Error.Code != desk.ENOTFOUND {
		t.Fatalf("unknown endpoint: %d %s", r.Status, r.Body)
	}
}

func TestAPITicketLifeCycle(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")

	r := api.Do(http.MethodPost, "/api/v1/tickets", map[string]any{
		"subject": "Faktura mangler", "customer": map[string]string{"name": "Mette Larsen", "email": "mette@example.dk"},
		"body": "Jeg har ikke fået min faktura.", "priority": "high", "tags": []string{"Faktura"}, "language": "da",
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var created apiTicket
	r.JSON(t, &created)
	if created.ID != 1001 || created.Status != "new" || created.Priority != "high" || created.Channel != "api" ||
		strings.Join(created.Tags, ",") != "faktura" || created.Customer.Email != "mette@example.dk" {
		t.Fatalf("created = %+v", created)
	}
	if loc := r.Header.Get("Location"); loc != "/api/v1/tickets/1001" {
		t.Fatalf("Location = %q", loc)
	}

	r = api.Do(http.MethodPost, "/api/v1/tickets/1001/messages", map[string]any{"kind": "reply", "body": "Den er sendt igen.", "status": "pending"})
	if r.Status != http.StatusCreated {
		t.Fatalf("add message: %d %s", r.Status, r.Body)
	}
	var msg struct {
		ID        int64  `json:"id"`
		Kind      string `json:"kind"`
		FromAgent bool   `json:"from_agent"`
		Author    string `json:"author"`
	}
	r.JSON(t, &msg)
	if msg.ID == 0 || msg.Kind != "reply" || !msg.FromAgent || msg.Author != "Anna Agent" {
		t.Fatalf("message = %+v", msg)
	}

	r = api.Do(http.MethodPatch, "/api/v1/tickets/1001", map[string]any{"status": "solved", "assignee": e.Agent2.ID, "priority": "low", "tags": []string{"faktura", "løst"}})
	if r.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	var patched apiTicket
	r.JSON(t, &patched)
	if patched.Status != "solved" || patched.SolvedAt == nil || patched.Assignee == nil || patched.Assignee.ID != e.Agent2.ID ||
		patched.Priority != "low" || strings.Join(patched.Tags, ",") != "faktura,løst" {
		t.Fatalf("patched = %+v", patched)
	}
	// Unassigning with 0, and with null; assigning again in between.
	if r := api.Do(http.MethodPatch, "/api/v1/tickets/1001", `{"assignee": 0}`); r.Status != http.StatusOK {
		t.Fatalf("unassign with 0: %d %s", r.Status, r.Body)
	}
	if tk, _ := e.Store.Ticket(ctx, 1001); tk.AssigneeID != 0 {
		t.Fatalf("assignee 0 did not unassign: %+v", tk)
	}
	if r := api.Do(http.MethodPatch, "/api/v1/tickets/1001", fmt.Sprintf(`{"assignee": %d}`, e.Agent.ID)); r.Status != http.StatusOK {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	if r := api.Do(http.MethodPatch, "/api/v1/tickets/1001", `{"assignee": null}`); r.Status != http.StatusOK {
		t.Fatalf("unassign with null: %d %s", r.Status, r.Body)
	}
	if r := api.Do(http.MethodPatch, "/api/v1/tickets/1001", `{"assignee": "anna"}`); r.Status != http.StatusBadRequest || r.Err(t).Error.Field != "assignee" {
		t.Fatalf("assignee as a name: %d %s, want 400 naming assignee", r.Status, r.Body)
	}

	r = api.Do(http.MethodGet, "/api/v1/tickets/1001", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("get: %d %s", r.Status, r.Body)
	}
	var got apiTicket
	r.JSON(t, &got)
	if got.Status != "solved" || got.FirstResponseAt == nil || got.Assignee != nil || len(got.Messages) != 2 ||
		got.Messages[0].FromAgent || got.Messages[0].Body != "Jeg har ikke fået min faktura." || got.Messages[1].Body != "Den er sendt igen." {
		t.Fatalf("get = %+v", got)
	}
	tk, _ := e.Store.Ticket(ctx, 1001)
	if tk.Status != desk.StatusSolved || tk.AssigneeID != 0 || tk.Priority != desk.PriorityLow {
		t.Fatalf("stored = %+v", tk)
	}
}

func TestAPIListFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	for i := range 12 {
		subject := fmt.Sprintf("Pakke %d mangler", i)
		if i%3 == 0 {
			subject = fmt.Sprintf("Faktura %d forkert", i)
		}
		tk := e.Ticket(subject, "Beskrivelse af sagen.")
		if i%2 == 0 {
			st, assignee := desk.StatusPending, e.Agent.ID
			if _, err := e.Store.UpdateTicket(ctx, tk.Number, e.Agent.ID, desk.Change{Status: &st, AssigneeID: &assignee, Tags: &[]string{"even"}}); err != nil {
				t.Fatal(err)
			}
		}
	}

	list := func(query string) apiList {
		t.Helper()
		r := api.Do(http.MethodGet, "/api/v1/tickets?"+query, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list %s: %d %s", query, r.Status, r.Body)
		}
		var l apiList
		r.JSON(t, &l)
		return l
	}

	// Walk every page with next: each ticket once, newest first.
	seen := map[int64]bool{}
	var order []int64
	q := url.Values{"limit": {"5"}}
	pages := 0
	for {
		l := list(q.Encode())
		pages++
		for _, tk := range l.Tickets {
			if seen[tk.ID] {
				t.Fatalf("ticket %d on two pages", tk.ID)
			}
			seen[tk.ID] = true
			order = append(order, tk.ID)
		}
		if l.Next == "" {
			break
		}
		if len(l.Tickets) != 5 {
			t.Fatalf("a page before the last has %d tickets", len(l.Tickets))
		}
		q.Set("after", l.Next)
	}
	if len(seen) != 12 || pages != 3 {
		t.Fatalf("walked %d tickets over %d pages, want 12 over 3", len(seen), pages)
	}

	if l := list("status=pending&limit=100"); len(l.Tickets) != 6 {
		t.Fatalf("status=pending: %d, want 6", len(l.Tickets))
	} else {
		for _, tk := range l.Tickets {
			if tk.Status != "pending" {
				t.Fatalf("status filter returned %+v", tk)
			}
		}
	}
	if l := list("assignee=-1"); len(l.Tickets) != 6 {
		t.Fatalf("assignee=-1: %d, want 6", len(l.Tickets))
	}
	if l := list(fmt.Sprintf("assignee=%d", e.Agent.ID)); len(l.Tickets) != 6 {
		t.Fatalf("assignee=%d: %d, want 6", e.Agent.ID, len(l.Tickets))
	}
	if l := list("tag=even&status=pending"); len(l.Tickets) != 6 {
		t.Fatalf("tag=even: %d, want 6", len(l.Tickets))
	}
	if l := list("q=faktura"); len(l.Tickets) != 4 {
		t.Fatalf("q=faktura: %d, want 4", len(l.Tickets))
	}
	if l := list("q=faktura&status=pending"); len(l.Tickets) != 2 {
		t.Fatalf("q=faktura&status=pending: %d, want 2", len(l.Tickets))
	}
	if l := list("view=mine"); len(l.Tickets) != 0 {
		// mine means open tickets assigned to the caller; Anna's are all pending.
		t.Fatalf("view=mine: %d, want 0", len(l.Tickets))
	}
	if l := list("sort=created&limit=1"); len(l.Tickets) != 1 || l.Tickets[0].ID != 1012 || l.Next == "" {
		t.Fatalf("sort=created&limit=1: %+v", l)
	}

	for query, field := range map[string]string{"status=done": "status", "limit=500": "limit", "after=garbage!": "after", "sort=sideways": "sort", "view=everything": "view"} {
		r := api.Do(http.MethodGet, "/api/v1/tickets?"+query, nil)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("list %s: status %d, want 422", query, r.Status)
			continue
		}
		if e := r.Err(t); e.Error.Field != field || e.Error.Code != desk.EINVALID {
			t.Errorf("list %s: error %+v, want field %s", query, e.Error, field)
		}
	}
}

// TestAPIBadInput sends what clients get wrong and checks each answer and that nothing was written.
func TestAPIBadInput(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	open := e.Ticket("Åben sag", "Hej")
	closed := e.Ticket("Lukket sag", "Hej")
	st := desk.StatusClosed
	if _, err := e.Store.UpdateTicket(ctx, closed.Number, e.Agent.ID, desk.Change{Status: &st}); err != nil {
		t.Fatal(err)
	}
	customer := `"customer": {"name": "Jens", "email": "jens@example.dk"}`
	huge := strings.Repeat("x", 300<<10)
	bigMessage := strings.Repeat("y", desk.MaxBody+1)

	cases := []struct {
		name, method, path string
		body               string
		contentType        string
		status             int
		code, field        string
	}{
		{"empty subject", "POST", "/api/v1/tickets", `{"subject": "  ", ` + customer + `, "body": "hej"}`, "", 422, desk.EINVALID, "subject"},
		{"no customer e-mail", "POST", "/api/v1/tickets", `{"subject": "x", "customer": {"name": "Jens"}, "body": "hej"}`, "", 422, desk.EINVALID, "customer.email"},
		{"unknown priority", "POST", "/api/v1/tickets", `{"subject": "x", ` + customer + `, "body": "hej", "priority": "asap"}`, "", 422, desk.EINVALID, "priority"},
		{"bad tag", "POST", "/api/v1/tickets", `{"subject": "x", ` + customer + `, "body": "hej", "tags": ["no spaces!"]}`, "", 422, desk.EINVALID, "tags"},
		{"malformed JSON", "POST", "/api/v1/tickets", `{"subject": "x",`, "", 400, desk.EMALFORMED, ""},
		{"not JSON at all", "POST", "/api/v1/tickets", `subject=x`, "", 400, desk.EMALFORMED, ""},
		{"empty body", "POST", "/api/v1/tickets", ``, "", 400, desk.EMALFORMED, ""},
		{"two values", "POST", "/api/v1/tickets", `{"subject": "x", ` + customer + `, "body": "hej"} {}`, "", 400, desk.EMALFORMED, ""},
		{"unknown field", "POST", "/api/v1/tickets", `{"subject": "x", ` + customer + `, "body": "hej", "sender": "me"}`, "", 400, desk.EMALFORMED, "sender"},
		{"wrong type", "POST", "/api/v1/tickets", `{"subject": 42, ` + customer + `, "body": "hej"}`, "", 400, desk.EMALFORMED, "subject"},
		{"form content type", "POST", "/api/v1/tickets", `{"subject": "x", ` + customer + `, "body": "hej"}`, "application/x-www-form-urlencoded", 400, desk.EMALFORMED, ""},
		{"request over 256 KB", "POST", "/api/v1/tickets", `{"subject": "x", ` + customer + `, "body": "` + huge + `"}`, "", 413, desk.ETOOLARGE, "body"},
		{"message over 64 KB", "POST", fmt.Sprintf("/api/v1/tickets/%d/messages", open.Number), `{"body": "` + bigMessage + `"}`, "", 413, desk.ETOOLARGE, "body"},
		{"unknown status (patch)", "PATCH", fmt.Sprintf("/api/v1/tickets/%d", open.Number), `{"status": "done"}`, "", 422, desk.EINVALID, "status"},
		{"unknown status (message)", "POST", fmt.Sprintf("/api/v1/tickets/%d/messages", open.Number), `{"body": "hej", "status": "done"}`, "", 422, desk.EINVALID, "status"},
		{"unknown kind", "POST", fmt.Sprintf("/api/v1/tickets/%d/messages", open.Number), `{"body": "hej", "kind": "email"}`, "", 422, desk.EINVALID, "kind"},
		{"empty message", "POST", fmt.Sprintf("/api/v1/tickets/%d/messages", open.Number), `{"body": " "}`, "", 422, desk.EINVALID, "body"},
		{"unknown assignee", "PATCH", fmt.Sprintf("/api/v1/tickets/%d", open.Number), `{"assignee": 999}`, "", 422, desk.EINVALID, "assignee"},
		{"nothing to change", "PATCH", fmt.Sprintf("/api/v1/tickets/%d", open.Number), `{}`, "", 422, desk.EINVALID, ""},
		{"unknown field (patch)", "PATCH", fmt.Sprintf("/api/v1/tickets/%d", open.Number), `{"state": "open"}`, "", 400, desk.EMALFORMED, "state"},
		{"missing ticket (get)", "GET", "/api/v1/tickets/99999", "", "", 404, desk.ENOTFOUND, ""},
		{"missing ticket (patch)", "PATCH", "/api/v1/tickets/99999", `{"status": "open"}`, "", 404, desk.ENOTFOUND, ""},
		{"missing ticket (message)", "POST", "/api/v1/tickets/99999/messages", `{"body": "hej"}`, "", 404, desk.ENOTFOUND, ""},
		{"not a number", "GET", "/api/v1/tickets/abc", "", "", 404, desk.ENOTFOUND, ""},
		{"reply to a closed ticket", "POST", fmt.Sprintf("/api/v1/tickets/%d/messages", closed.Number), `{"body": "Nogen nyheder?"}`, "", 409, desk.ECONFLICT, "ticket"},
		{"reopen a closed ticket", "PATCH", fmt.Sprintf("/api/v1/tickets/%d", closed.Number), `{"status": "open"}`, "", 409, desk.ECONFLICT, "status"},
		{"wrong method", "DELETE", fmt.Sprintf("/api/v1/tickets/%d", open.Number), "", "", 404, desk.ENOTFOUND, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, e.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			ct := c.contentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+api.Token)
			r := (&testkit.Client{T: t, HTTP: http.DefaultClient}).Do(req)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, excerpt(r.Body))
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("content type %q, want JSON", ct)
			}
			apiErr := r.Err(t)
			if apiErr.Error.Code != c.code || apiErr.Error.Field != c.field {
				t.Fatalf("error %+v, want code %q field %q", apiErr.Error, c.code, c.field)
			}
		})
	}

	// Nothing above was written.
	if n := ticketCount(t, e); n != 2 {
		t.Fatalf("bad input created tickets: %d, want 2", n)
	}
	for _, tk := range []desk.Ticket{open, closed} {
		thread, _ := e.Store.Thread(ctx, tk.ID)
		if len(thread) != 1 {
			t.Errorf("ticket %d has %d messages, want 1", tk.Number, len(thread))
		}
	}
	got, _ := e.Store.Ticket(ctx, open.Number)
	events, _ := e.Store.Events(ctx, open.ID)
	if got.Status != desk.StatusNew || got.AssigneeID != 0 || len(events) != 1 {
		t.Fatalf("the open ticket changed: %+v, %d events", got, len(events))
	}
}

// TestAPINeverFailsOnBadInput throws odd requests at every endpoint: each gets a 4xx JSON error, never a 5xx.
func TestAPINeverFailsOnBadInput(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	e.Ticket("Sag", "Hej")
	bodies := []string{
		``, `null`, `[]`, `"text"`, `42`, `{`, `}`, `{"subject": null}`, `{"subject": ["a"]}`, `{"customer": "jens"}`,
		`{"assignee": "anna"}`, `{"assignee": 1e30}`, `{"assignee": -5}`, `{"tags": "a,b"}`, `{"tags": [1, 2]}`, `{"status": null}`,
		`{"kind": 1}`, `{"body": {"html": true}}`, "{\"subject\": \"\xff\xfe\", \"body\": \"x\"}", strings.Repeat("[", 20000),
		`{"subject": "x", "subject": "y"}`, `{"language": "tlh", "subject": "x", "body": "y", "customer": {"name": "a", "email": "a@b.dk"}}`,
		`{"subject": "` + strings.Repeat("s", 201) + `", "body": "y", "customer": {"name": "a", "email": "a@b.dk"}}`,
	}
	paths := []struct{ method, path string }{
		{"POST", "/api/v1/tickets"}, {"PATCH", "/api/v1/tickets/1001"}, {"POST", "/api/v1/tickets/1001/messages"},
		{"PATCH", "/api/v1/tickets/99999999999999999999"}, {"POST", "/api/v1/tickets/0/messages"},
	}
	for _, p := range paths {
		for _, b := range bodies {
			r := api.Do(p.method, p.path, b)
			if r.Status >= 500 || (r.Status >= 300 && r.Status < 400) {
				t.Errorf("%s %s %.40q: status %d: %s", p.method, p.path, b, r.Status, excerpt(r.Body))
				continue
			}
			if r.Status >= 400 {
				r.Err(t)
			}
		}
	}
	for _, q := range []string{"limit=-1", "limit=abc", "assignee=x", "customer=-1", "q=" + strings.Repeat("x", 201), "q=%22", "after=%00", "sort=", "tag=" + url.QueryEscape("æøå")} {
		r := api.Do(http.MethodGet, "/api/v1/tickets?"+q, nil)
		if r.Status >= 500 {
			t.Errorf("GET ?%s: status %d: %s", q, r.Status, r.Body)
		} else if r.Status >= 400 {
			r.Err(t)
		}
	}
}
