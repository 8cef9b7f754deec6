package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit/pgtest"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), pgtest.DB(t, filepath.Join(t.TempDir(), "test.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustUser(t *testing.T, s *store.Store, email string, role desk.Role) desk.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), desk.User{Name: strings.Split(email, "@")[0], Email: email, Role: role, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustTicket(t *testing.T, s *store.Store, subject, body string) desk.Ticket {
	t.Helper()
	tk, err := s.CreateTicket(context.Background(), desk.NewTicket{Subject: subject, Body: body, CustomerName: "Jens Hansen", CustomerEmail: "jens@example.dk", Tags: []string{"Levering"}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func code(err error) string { return desk.ErrorCode(err) }

func TestTicketLifeCycle(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	agent := mustUser(t, s, "anna@coachdesk.test", desk.RoleAgent)
	tk := mustTicket(t, s, "Hvor er min pakke?", "Jeg har ventet i en uge.")
	if tk.Number != 1001 || tk.Status != desk.StatusNew || tk.Customer.Email != "jens@example.dk" || strings.Join(tk.Tags, ",") != "levering" {
		t.Fatalf("new ticket = %+v", tk)
	}
	second := mustTicket(t, s, "Faktura", "Hvor er min faktura?")
	if second.Number != 1002 || second.Customer.ID != tk.Customer.ID {
		t.Fatalf("second ticket should reuse the customer and take the next number: %+v", second)
	}

	if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Kind: desk.KindReply, Body: "Jeg har sendt en ny.", UserID: agent.ID}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Ticket(ctx, tk.Number)
	if got.FirstResponseAt == nil || got.Status != desk.StatusOpen {
		t.Fatalf("a first reply must start the first-response clock and open the ticket: %+v", got)
	}

	solved := desk.StatusSolved
	assignee := agent.ID
	got, err := s.UpdateTicket(ctx, tk.Number, agent.ID, desk.Change{Status: &solved, AssigneeID: &assignee})
	if err != nil {
		t.Fatal(err)
	}
	if got.SolvedAt == nil || got.AssigneeName != agent.Name {
		t.Fatalf("solving must set the solved time and assignee: %+v", got)
	}
	events, _ := s.Events(ctx, tk.ID)
	var fields []string
	for _, e := range events {
		fields = append(fields, e.Field)
	}
	if want := "created,first_response,status,status,assignee"; strings.Join(fields, ",") != want {
		t.Fatalf("audit trail = %v, want %s", fields, want)
	}
	thread, _ := s.Thread(ctx, tk.ID)
	if len(thread) != 2 || thread[0].FromAgent || !thread[1].FromAgent || thread[1].AuthorName != agent.Name {
		t.Fatalf("thread = %+v", thread)
	}

	counts, _ := s.Counts(ctx, agent.ID)
	if counts[desk.ViewSolved] != 1 || counts[desk.ViewOpen] != 1 || counts[desk.ViewUnassigned] != 1 || counts[desk.ViewAll] != 2 {
		t.Fatalf("counts = %v", counts)
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	tk := mustTicket(t, s, "Login", "Jeg kan ikke logge ind.")
	cases := []struct {
		name  string
		err   error
		code  string
		field string
	}{
		{"empty subject", func() error {
			_, err := s.CreateTicket(ctx, desk.NewTicket{Body: "x", CustomerName: "A", CustomerEmail: "a@b.dk"})
			return err
		}(), desk.EINVALID, "subject"},
		{"bad email", func() error {
			_, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "x", Body: "x", CustomerName: "A", CustomerEmail: "nope"})
			return err
		}(), desk.EINVALID, "customer.email"},
		{"unknown status", func() error {
			st := desk.Status("done")
			_, err := s.UpdateTicket(ctx, tk.Number, 0, desk.Change{Status: &st})
			return err
		}(), desk.EINVALID, "status"},
		{"huge body", func() error {
			_, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: strings.Repeat("x", desk.MaxBody+1), UserID: 1})
			return err
		}(), desk.ETOOLARGE, "body"},
		{"missing ticket", func() error { _, err := s.AddMessage(ctx, 99999, desk.NewMessage{Body: "hej", UserID: 1}); return err }(), desk.ENOTFOUND, ""},
		{"unknown assignee", func() error {
			a := int64(777)
			_, err := s.UpdateTicket(ctx, tk.Number, 0, desk.Change{AssigneeID: &a})
			return err
		}(), desk.EINVALID, "assignee"},
	}
	for _, c := range cases {
		e, ok := desk.AsError(c.err)
		if !ok || e.Code != c.code || e.Field != c.field {
			t.Errorf("%s: err = %v, want code %s field %q", c.name, c.err, c.code, c.field)
		}
	}
	page, _ := s.ListTickets(ctx, desk.Filter{})
	thread, _ := s.Thread(ctx, tk.ID)
	if len(page.Tickets) != 1 || len(thread) != 1 {
		t.Fatalf("bad input wrote something: %d tickets, %d messages", len(page.Tickets), len(thread))
	}
}

func TestListSearchAndPaginate(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for i := 0; i < 7; i++ {
		mustTicket(t, s, "Pakke mangler", "Ordrenummer 55120 er ikke kommet.")
	}
	mustTicket(t, s, "Faktura dobbelt", "Jeg er blevet trukket to gange for ordre 77.")

	var seen []int64
	f := desk.Filter{Limit: 3}
	for {
		page, err := s.ListTickets(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range page.Tickets {
			seen = append(seen, tk.Number)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	if len(seen) != 8 || seen[0] != 1008 || seen[7] != 1001 {
		t.Fatalf("pages walked %v, want 1008 down to 1001", seen)
	}

	for query, want := range map[string]int{"faktura": 1, "trukket to": 1, "ordrenummer 5512": 7, "fakt": 1, `"); DROP TABLE tickets; --`: 0, "pakke levering": 0} {
		page, err := s.ListTickets(ctx, desk.Filter{Query: query, Limit: 50})
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		if len(page.Tickets) != want {
			t.Errorf("search %q found %d, want %d", query, len(page.Tickets), want)
		}
	}
	if _, err := s.ListTickets(ctx, desk.Filter{After: "garbage!"}); code(err) != desk.EINVALID {
		t.Fatalf("a bad cursor must be invalid input, got %v", err)
	}
	page, _ := s.ListTickets(ctx, desk.Filter{Tag: "levering", View: desk.ViewOpen, Limit: 50})
	if len(page.Tickets) != 8 {
		t.Fatalf("tag filter found %d", len(page.Tickets))
	}
}

// updated_at is the domain's time (the store's clock), never a timestamp gorm stamps on its own.
func TestUpdatedAtFollowsTheStoreClock(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return at })
	tk := mustTicket(t, s, "Pakke", "Hvor er den?")
	at = at.Add(time.Hour)
	pending := desk.StatusPending
	if _, err := s.UpdateTicket(ctx, tk.Number, 0, desk.Change{Status: &pending}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Ticket(ctx, tk.Number)
	if !got.UpdatedAt.Equal(at) || !got.CreatedAt.Equal(at.Add(-time.Hour)) {
		t.Fatalf("created %v updated %v, want %v and %v", got.CreatedAt, got.UpdatedAt, at.Add(-time.Hour), at)
	}
}

// A session's expiry comes back as it was saved (to the millisecond), and an expired one is not found.
func TestFindSessionExpiry(t *testing.T) {
	s, err := store.Open(context.Background(), pgtest.DB(t, filepath.Join(t.TempDir(), "s.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	expiry := time.Now().Add(12 * time.Hour).Truncate(time.Millisecond).UTC()
	if err := s.SaveSession(ctx, "tok", []byte("data"), expiry); err != nil {
		t.Fatal(err)
	}
	data, got, found, err := s.FindSessionExpiry(ctx, "tok")
	if err != nil || !found || string(data) != "data" || !got.Equal(expiry) {
		t.Fatalf("FindSessionExpiry = %q, %v, %v, %v; want data, %v", data, got, found, err, expiry)
	}
	if err := s.SaveSession(ctx, "old", []byte("x"), time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, _, found, err := s.FindSessionExpiry(ctx, "old"); found || err != nil {
		t.Fatalf("an expired session: found %v, err %v", found, err)
	}
	if _, err := s.UserByID(ctx, 424242); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("UserByID of nobody: %v, want ENOTFOUND", err)
	}
}
