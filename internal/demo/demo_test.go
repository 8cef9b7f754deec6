package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit/pgtest"
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, pgtest.DB(t, filepath.Join(t.TempDir(), "demo.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	logins, err := demo.Seed(ctx, st, 400)
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) < 4 || logins[0].Password == "" {
		t.Fatalf("logins: %+v", logins)
	}
	if _, err := demo.Seed(ctx, st, 0); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second seed: %v, want ErrNotEmpty", err)
	}

	counts, err := st.Counts(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if counts[desk.ViewAll] < 430 || counts[desk.ViewOpen] == 0 || counts[desk.ViewPending] == 0 || counts[desk.ViewSolved] == 0 {
		t.Fatalf("counts %v", counts)
	}

	// The hand-written tickets are the newest; every status shows up among them.
	page, err := st.ListTickets(ctx, desk.Filter{Sort: desk.SortCreated, Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[desk.Status]bool{}
	for _, tk := range page.Tickets {
		statuses[tk.Status] = true
	}
	if len(statuses) != len(desk.Statuses) {
		t.Fatalf("statuses among the newest tickets: %v", statuses)
	}

	// A conversation with an internal note, a poor reply and a good one.
	found, err := st.ListTickets(ctx, desk.Filter{Query: "Forkert vare leveret"})
	if err != nil || len(found.Tickets) == 0 {
		t.Fatalf("search for a demo ticket: %v, %d found", err, len(found.Tickets))
	}
	thread, err := st.Thread(ctx, found.Tickets[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var note, poor, good bool
	for _, m := range thread {
		note = note || m.Kind == desk.KindNote
		poor = poor || m.FromAgent && strings.Contains(m.Body, "Du har klikket")
		good = good || m.FromAgent && strings.Contains(m.Body, "ked af")
	}
	if len(thread) < 4 || !note || !poor || !good {
		t.Fatalf("thread of %d messages: note %v poor %v good %v", len(thread), note, poor, good)
	}

	// The hostile HTML mail is stored as HTML (the UI sanitises it), and customers keep their notes.
	found, err = st.ListTickets(ctx, desk.Filter{Query: "billedet af fejlen"})
	if err != nil || len(found.Tickets) != 1 {
		t.Fatalf("HTML ticket: %v, %d found", err, len(found.Tickets))
	}
	thread, _ = st.Thread(ctx, found.Tickets[0].ID)
	if !thread[0].HTML || !strings.Contains(thread[0].Body, "<script>") {
		t.Fatalf("HTML mail: %+v", thread[0])
	}
	found, _ = st.ListTickets(ctx, desk.Filter{Query: "faktura 88104"})
	var org bool
	for _, tk := range found.Tickets {
		org = org || tk.Customer.Organisation != "" && tk.Customer.Notes != ""
	}
	if !org {
		t.Fatalf("no demo customer with organisation and notes among %d tickets", len(found.Tickets))
	}

	// Generated tickets carry their own order number, so a search for one finds exactly it.
	found, err = st.ListTickets(ctx, desk.Filter{Query: "3000123"})
	if err != nil || len(found.Tickets) != 1 {
		t.Fatalf("order number search: %v, %d found", err, len(found.Tickets))
	}
}
