package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

// The store opens a PostgreSQL URL, migrates it and works as on SQLite.
func TestPostgresOpensAndWorks(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.d.pg {
		t.Fatal("a postgres:// URL opened SQLite")
	}
	u, err := s.CreateUser(ctx, desk.User{Name: "Anna", Email: "Anna@Example.dk", Role: desk.RoleAgent, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "Pakken er ikke kommet", Body: "Jeg har ikke modtaget pakken.",
		CustomerName: "Karen", CustomerEmail: "karen@example.dk", Channel: desk.ChannelWeb, AssigneeID: u.ID, Language: "da"})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Number != 1001 {
		t.Errorf("first ticket is #%d, want #1001", tk.Number)
	}
	page, err := s.ListTickets(ctx, desk.Filter{Query: "pakkerne"})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("search found %v, %v", page.Tickets, err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("ready: %v", err)
	}
}

// Instances starting at once against a fresh database migrate once, and number tickets without a gap or a repeat.
func TestPostgresInstancesShareOneDatabase(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	stores := make([]*Store, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	numbers := make(chan int64, 30)
	for i := range 30 {
		wg.Go(func() {
			tk, err := stores[i%3].CreateTicket(ctx, desk.NewTicket{Subject: "Hej", Body: "Hej", CustomerName: "K",
				CustomerEmail: "k@example.dk", Channel: desk.ChannelWeb, Language: "da"})
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- tk.Number
		})
	}
	wg.Wait()
	close(numbers)
	seen := map[int64]bool{}
	for n := range numbers {
		if seen[n] || n < 1001 || n > 1030 {
			t.Errorf("ticket number %d handed out twice or out of range", n)
		}
		seen[n] = true
	}
}

// A database migrated by a newer coachdesk is refused, naming both versions.
func TestPostgresRefusesANewerSchema(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.w.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, true)`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, url)
	if err == nil || !strings.Contains(err.Error(), "version 99") || !strings.Contains(err.Error(), fmt.Sprintf("(%d)", newestMigration(t, "postgres"))) {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

// PostgreSQL's migrations go down and up again.
func TestPostgresMigrationsGoDownAndUp(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sqlDB, _ := s.w.DB()
	p, err := s.migrations(sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.r.Raw("SELECT COUNT(*) FROM review_settings").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("review settings after down and up: %d rows, %v", n, err)
	}
}
