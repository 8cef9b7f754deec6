package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit/pgtest"
)

func TestUserNamesLoseBidiControls(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, desk.User{Name: " Bj\u202eørn\u202c Ås\x00 ", Email: "bjorn@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Bjørn Ås" {
		t.Errorf("name %q", u.Name)
	}
	_, err = s.CreateUser(ctx, desk.User{Name: "\u200b\u2066\u2069", Email: "blank@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x"})
	if e, ok := desk.AsError(err); !ok || e.Field != "name" || e.Code != desk.EINVALID {
		t.Errorf("invisible name: got %v", err)
	}
}

// A new user's problems come together: an empty name, a taken e-mail (in any case) and a bad role.
func TestNewUserProblemsComeTogether(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	mustUser(t, s, "taken@coachdesk.test", desk.RoleAgent)
	_, err := s.CreateUser(ctx, desk.User{Name: " ", Email: "Taken@Coachdesk.test", Role: "boss", PasswordHash: "x"})
	fields := map[string]string{}
	for _, e := range problems(err) {
		fields[e.Field] = e.Code
	}
	if fields["name"] != desk.EINVALID || fields["email"] != desk.ECONFLICT || fields["role"] != desk.EINVALID {
		t.Errorf("problems %v, want name, a taken email and role together", fields)
	}
	if u, err := s.UserByEmail(ctx, " TAKEN@coachdesk.test"); err != nil || u.Email != "taken@coachdesk.test" {
		t.Errorf("finding a user by e-mail ignores case: %v %v", u.Email, err)
	}
}

// Two instances adding the same address at once: one gets the user, the other the conflict on
// "email" a form shows, never a database error (on PostgreSQL both checks can pass before either writes).
func TestSameNewUserOnTwoInstances(t *testing.T) {
	db := pgtest.DB(t, filepath.Join(t.TempDir(), "two.db"))
	ctx := context.Background()
	var instances [2]*store.Store
	for i := range instances {
		s, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		instances[i] = s
	}
	for round := range 20 {
		email := fmt.Sprintf("race%d@coachdesk.test", round)
		var errs [2]error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, s := range instances {
			wg.Go(func() {
				<-start
				_, errs[i] = s.CreateUser(ctx, desk.User{Name: "Race", Email: email, Role: desk.RoleAgent, PasswordHash: "x"})
			})
		}
		close(start)
		wg.Wait()
		created := 0
		for _, err := range errs {
			if err == nil {
				created++
			} else if e, ok := desk.AsError(err); !ok || e.Code != desk.ECONFLICT || e.Field != "email" {
				t.Fatalf("round %d: %v, want a conflict on email", round, err)
			}
		}
		if created != 1 {
			t.Fatalf("round %d: %d users created, want 1", round, created)
		}
	}
}
