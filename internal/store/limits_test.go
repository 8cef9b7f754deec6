package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"coachdesk/internal/testkit/pgtest"
)

// twoInstances opens the same database twice, as two coachdesk instances would, on one clock.
func twoInstances(t *testing.T) (a, b *Store, clock *time.Time) {
	t.Helper()
	db := pgtest.DB(t, filepath.Join(t.TempDir(), "limits.db"))
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a, b = openAt(t, db), openAt(t, db)
	for _, s := range []*Store{a, b} {
		s.SetClock(func() time.Time { return now })
	}
	return a, b, &now
}

// A budget spent on one instance is spent on the other, refills at its rate, and never beyond its burst.
func TestBudgetIsSharedAndRefills(t *testing.T) {
	ctx := context.Background()
	a, b, clock := twoInstances(t)
	budget := Budget{Burst: 3, Every: time.Minute}
	spend := func(s *Store) bool {
		t.Helper()
		ok, err := s.SpendBudget(ctx, "k", budget)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	blocked := func(s *Store) bool {
		t.Helper()
		v, err := s.BudgetBlocked(ctx, "k", budget)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if blocked(a) {
		t.Fatal("an unused budget is blocked")
	}
	if !spend(a) || !spend(b) || !spend(a) {
		t.Fatal("the burst was refused")
	}
	if spend(b) || !blocked(a) || !blocked(b) {
		t.Fatal("a fourth attempt within the minute passed")
	}
	*clock = clock.Add(90 * time.Second) // one and a half tokens back
	if !spend(b) || spend(a) {
		t.Fatal("the refill is not one per minute")
	}
	*clock = clock.Add(time.Hour)
	for i := range 4 {
		if got := spend(a); got != (i < 3) {
			t.Fatalf("after an hour, attempt %d: %v (the bucket holds its burst, no more)", i+1, got)
		}
	}
}

// Attempts from both instances at once take exactly the burst.
func TestBudgetUnderConcurrentSpends(t *testing.T) {
	ctx := context.Background()
	a, b, _ := twoInstances(t)
	budget := Budget{Burst: 5, Every: time.Hour}
	var mu sync.Mutex
	var wg sync.WaitGroup
	passed := 0
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			ok, err := s.SpendBudget(ctx, "burst", budget)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if passed != budget.Burst {
		t.Fatalf("%d of 24 attempts passed, want %d", passed, budget.Burst)
	}
}

// A sign-in spends the address's and the account's budgets; a success gives both back. An account
// whose budget strangers used up stays open to an address without a recent failure.
func TestSignInAttemptBudgets(t *testing.T) {
	ctx := context.Background()
	a, b, clock := twoInstances(t)
	budgets := SignInBudgets{Account: Budget{Burst: 2, Every: time.Hour}, Address: Budget{Burst: 3, Every: time.Hour}, SuspectFor: 15 * time.Minute}
	attempt := func(s *Store, account, address string) (bool, bool) {
		t.Helper()
		ok, spent, err := s.SignInAttempt(ctx, account, address, budgets)
		if err != nil {
			t.Fatal(err)
		}
		return ok, spent
	}
	// A stranger fails twice at anna's account, from two instances: her budget is spent.
	if ok, _ := attempt(a, "anna", "10.0.0.9"); !ok {
		t.Fatal("first attempt refused")
	}
	if ok, _ := attempt(b, "anna", "10.0.0.9"); !ok {
		t.Fatal("second attempt refused")
	}
	if ok, _ := attempt(a, "anna", "10.0.0.9"); ok {
		t.Fatal("a third failure from a suspect address passed an empty account budget")
	}
	// Anna, from her own address with no failure, still gets in (and spends no account budget).
	ok, spent := attempt(b, "anna", "10.0.0.1")
	if !ok || spent {
		t.Fatalf("anna's own attempt: ok %v, spent account %v", ok, spent)
	}
	if err := b.RefundSignIn(ctx, "anna", "10.0.0.1", spent, budgets); err != nil {
		t.Fatal(err)
	}
	// The stranger's address budget (3) is used up by its three attempts; the refused third gave its token back.
	if ok, _ := attempt(a, "bo", "10.0.0.9"); !ok {
		t.Fatal("the refused attempt kept the address's token")
	}
	if ok, _ := attempt(b, "carl", "10.0.0.9"); ok {
		t.Fatal("an address past its budget got a fourth attempt")
	}
	// A success gives back what it spent.
	*clock = clock.Add(2 * time.Hour)
	for range 5 {
		ok, spent := attempt(a, "dora", "10.0.0.2")
		if !ok {
			t.Fatal("successful sign-ins used up a budget")
		}
		if err := a.RefundSignIn(ctx, "dora", "10.0.0.2", spent, budgets); err != nil {
			t.Fatal(err)
		}
	}
}
