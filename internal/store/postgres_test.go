package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

// openAt opens a store on db, as one more instance would, and closes it when t ends.
func openAt(t *testing.T, db string) *Store {
	t.Helper()
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The store opens a PostgreSQL URL, migrates it and works as on SQLite.
func TestPostgresOpensAndWorks(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	s := openAt(t, url)
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
	s := openAt(t, pgtest.URL(t))
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

// The server ending every connection (a restart, a failover) costs no restart of the store: the
// next reads and writes open new connections, and nothing acknowledged is lost.
func TestPostgresSurvivesKilledConnections(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	s := openAt(t, url)
	newTicket := func() (desk.Ticket, error) {
		return s.CreateTicket(ctx, desk.NewTicket{Subject: "Hej", Body: "Hej", CustomerName: "K", CustomerEmail: "k@example.dk", Language: "da"})
	}
	first, err := newTicket()
	if err != nil {
		t.Fatal(err)
	}
	admin := openAt(t, url) // a second instance does the killing
	var killed int
	if err := admin.r.Raw(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&killed).Error; err != nil || killed == 0 {
		t.Fatalf("terminated %d connections: %v", killed, err)
	}
	// pgx pings a pooled connection idle for over a second before handing it out again, and drops
	// it when the server has gone; one used again within the second meets the error once.
	time.Sleep(1100 * time.Millisecond)
	var second desk.Ticket
	for range 3 { // a write that met a dead connection is refused as busy, never half done
		if second, err = newTicket(); err == nil {
			break
		}
		var u *Unavailable
		if !errors.As(err, &u) || !u.Busy {
			t.Fatalf("a write after the connections died: %v", err)
		}
	}
	if err != nil {
		t.Fatalf("no write went through after the connections died: %v", err)
	}
	if second.Number != first.Number+1 {
		t.Errorf("tickets #%d then #%d", first.Number, second.Number)
	}
	if _, err := s.Ticket(ctx, first.Number); err != nil {
		t.Errorf("the ticket written before is gone: %v", err)
	}
	if _, err := s.Counts(ctx, 0); err != nil {
		t.Errorf("prepared reads after the connections died: %v", err)
	}
}

// The longest message there can be, of words that never repeat, still fits the document: a
// tsvector has room for a megabyte and 16,383 positions, and the write must never fail on it.
func TestPostgresDocumentOfTheLongestTicket(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, pgtest.URL(t))
	var b strings.Builder
	for i := 0; b.Len() < desk.MaxBody-20; i++ {
		fmt.Fprintf(&b, "ord%dx ", i)
	}
	tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "Lang besked", Body: b.String(), CustomerName: "K", CustomerEmail: "k@example.dk", Language: "da"})
	if err != nil {
		t.Fatal(err)
	}
	// A thread of many such messages: the document stops taking new words before PostgreSQL's limit.
	var huge strings.Builder
	for i := 0; huge.Len() < 3<<20; i++ {
		fmt.Fprintf(&huge, "langtord%d ", i)
	}
	var lexemes int
	doc := tsvectorOf(searchDoc{subject: "lang", body: huge.String(), exact: huge.String(), people: "k example dk 1001"})
	if err := s.r.Raw(`SELECT length(?::tsvector)`, doc).Scan(&lexemes).Error; err != nil || lexemes < 10000 {
		t.Errorf("a 3 MB thread's document: %d words, %v", lexemes, err)
	}
	for _, q := range []string{"ord1x", `"ord1x ord2x"`, "lang"} {
		page, err := s.ListTickets(ctx, desk.Filter{Query: q})
		if err != nil || len(page.Tickets) != 1 || page.Tickets[0].Number != tk.Number {
			t.Errorf("search %q in the longest ticket: %v, %v", q, page.Tickets, err)
		}
	}
}

// Two instances claiming due mail at once never take the same one.
func TestPostgresInstancesClaimEachMailOnce(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	a := openAt(t, url)
	b := openAt(t, url)
	if _, err := a.SaveMailbox(ctx, 0, desk.MailboxInput{Address: "support@example.dk", SMTPHost: "smtp.example.dk", Active: true}, nil, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if _, err := a.CreateTicket(ctx, desk.NewTicket{Subject: "Hej", Body: "Hej", CustomerName: "K",
			CustomerEmail: fmt.Sprintf("k%d@example.dk", i), Channel: desk.ChannelEmail, Language: "da"}); err != nil {
			t.Fatal(err)
		}
	}
	claimed := make(chan int64, 80)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			got, err := []*Store{a, b}[i%2].ClaimMail(ctx, time.Minute, 10)
			if err != nil {
				t.Error(err)
			}
			for _, m := range got {
				claimed <- m.Key
			}
		})
	}
	wg.Wait()
	close(claimed)
	seen := map[int64]bool{}
	for k := range claimed {
		if seen[k] {
			t.Errorf("mail %d was claimed twice", k)
		}
		seen[k] = true
	}
	if len(seen) != 40 {
		t.Errorf("claimed %d of 40 confirmations", len(seen))
	}
}
