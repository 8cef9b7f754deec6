package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
	"coachdesk/internal/testkit/pgtest"
)

// PostgreSQL drops every connection of the instance's database (as a failover or an admin's
// pg_terminate_backend does) while agents write. The instance heals without a restart: writes and
// pages work again within a few requests, and every note it acknowledged is stored.
func TestInstanceRecoversWhenPostgreSQLDropsItsConnections(t *testing.T) {
	db := pgtest.URL(t)
	r := testkit.Start(t, db)
	e := &testkit.Env{T: t, App: r.App, Store: r.App.Store, Desk: r.App.Desk, URL: r.URL, DBPath: db}
	e.Agent = e.AddUser("Anna Agent", "anna@coachdesk.test", desk.RoleAgent)
	tk := e.Ticket("Pakken", "Hvor er min pakke?")
	c := e.SignIn(e.Agent.Email)
	c.Get(fmt.Sprintf("/tickets/%d", tk.Number)) // the CSRF token

	var acked []string
	note := func(i int) int {
		body := fmt.Sprintf("Note %d om pakken", i)
		res := c.Post(fmt.Sprintf("/tickets/%d/messages", tk.Number), url.Values{"kind": {"note"}, "body": {body}})
		if res.Status == http.StatusSeeOther {
			acked = append(acked, body)
		}
		return res.Status
	}
	for i := range 3 {
		if s := note(i); s != http.StatusSeeOther {
			t.Fatalf("note %d before the drop: %d", i, s)
		}
	}

	admin, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	if err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed == 0 {
		t.Fatal("the instance had no connections to drop")
	}

	// Each dropped connection may fail the one request that finds it dead (database/sql then
	// discards it); after that every request must pass again.
	var statuses []int
	failed := 0
	for i := 3; i < 13+killed; i++ {
		s := note(i)
		statuses = append(statuses, s)
		if s != http.StatusSeeOther {
			failed++
		}
	}
	for _, s := range statuses[len(statuses)-10:] {
		if s != http.StatusSeeOther {
			t.Fatalf("after dropping %d connections the notes answered %v: the instance did not heal", killed, statuses)
		}
	}
	if failed > killed {
		t.Fatalf("%d requests failed after dropping %d connections (%v): more than one per connection", failed, killed, statuses)
	}
	if res := c.Get(fmt.Sprintf("/tickets/%d", tk.Number)); res.Status != http.StatusOK {
		t.Fatalf("the ticket page after the drop: %d", res.Status)
	}
	if res := c.Get("/readyz"); res.Status != http.StatusOK {
		t.Fatalf("/readyz after the drop: %d %s", res.Status, res.Body)
	}
	thread, err := e.Store.Thread(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stored strings.Builder
	for _, m := range thread {
		stored.WriteString(m.Body + "\n")
	}
	for _, body := range acked {
		if !strings.Contains(stored.String(), body+"\n") {
			t.Errorf("the acknowledged %q is not in the thread", body)
		}
	}
	t.Logf("dropped %d connections; the notes after it answered %v; %d acknowledged, all stored", killed, statuses, len(acked))
}
