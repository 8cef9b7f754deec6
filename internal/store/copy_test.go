package store

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

// A helpdesk copied from SQLite to PostgreSQL and back holds the same rows, counts, rollups and
// search; the copy refuses a target that holds data.
func TestCopyToPostgresAndBack(t *testing.T) {
	pg := pgtest.URL(t)
	ctx := context.Background()
	src := sqliteHelpdesk(t)
	solved := desk.StatusSolved
	if _, err := src.UpdateTicket(ctx, 1001, 0, desk.Change{Status: &solved}); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveSession(ctx, "tok", []byte("data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	mid, err := Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer mid.Close()
	counts, err := src.CopyTo(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(counts, func(c TableCount) bool { return c.Table == "coaching_findings" && c.Target > 0 }) {
		t.Errorf("the copy moved no findings: %+v", counts)
	}
	sameHelpdesk(t, src, mid)

	back, err := Open(ctx, filepath.Join(t.TempDir(), "back.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := mid.CopyTo(ctx, back); err != nil {
		t.Fatal(err)
	}
	sameHelpdesk(t, src, back)

	// Both copies go on numbering where the source stopped.
	for _, s := range []*Store{mid, back} {
		tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "Ny", Body: "Ny sag", CustomerName: "Ny", CustomerEmail: "ny@example.dk"})
		if err != nil || tk.Number != 1002 {
			t.Errorf("%s: a new ticket after the copy is #%d (%v), want #1002", s.d.name(), tk.Number, err)
		}
	}
	if _, err := src.CopyTo(ctx, mid); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("copying into a database with data: %v", err)
	}
}

func sqliteHelpdesk(t *testing.T) *Store {
	f, _ := leadFixture(t)
	if f.s.d.pg {
		t.Skip("the source is a SQLite helpdesk")
	}
	return f.s
}

// sameHelpdesk compares what pages show: the inbox counts, a search and the dashboard.
func sameHelpdesk(t *testing.T, want, got *Store) {
	t.Helper()
	ctx := context.Background()
	wc, err1 := want.Counts(ctx, 1)
	gc, err2 := got.Counts(ctx, 1)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(wc, gc) {
		t.Errorf("%s: counts %v (%v), want %v (%v)", got.d.name(), gc, err2, wc, err1)
	}
	found := func(s *Store) []int64 {
		page, err := s.ListTickets(ctx, desk.Filter{View: desk.ViewAll, Query: "pakken"})
		if err != nil {
			t.Fatal(err)
		}
		var n []int64
		for _, tk := range page.Tickets {
			n = append(n, tk.Number)
		}
		return n
	}
	if w, g := found(want), found(got); !slices.Equal(w, g) || len(w) == 0 {
		t.Errorf("%s: search found %v, want %v", got.d.name(), g, w)
	}
	q := desk.DashboardQuery{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	wd, err1 := want.Dashboard(ctx, q)
	gd, err2 := got.Dashboard(ctx, q)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(wd, gd) {
		t.Errorf("%s: dashboard %+v (%v), want %+v (%v)", got.d.name(), gd, err2, wd, err1)
	}
}
