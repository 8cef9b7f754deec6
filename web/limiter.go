package web

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"coachdesk/internal/store"
)

// limiter brakes guessing and spam with budgets every instance shares (kept in the database), and
// typing with budgets each instance keeps in memory: a lost or per-instance typing budget only
// lets a script lint a little faster, while a sign-in budget that multiplied would help a guesser.
type limiter struct {
	store *store.Store

	mu     sync.Mutex
	typing map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(st *store.Store) *limiter { return &limiter{store: st, typing: map[string]*bucket{}} }

// Budgets: a burst of attempts, then one more per interval.
var (
	signIn = store.SignInBudgets{
		Account:    store.Budget{Burst: 5, Every: time.Minute},
		Address:    store.Budget{Burst: 20, Every: 15 * time.Second},
		SuspectFor: 15 * time.Minute, // how long an address stays suspect after an attempt that did not succeed
	}
	supportPerAddr = store.Budget{Burst: 5, Every: 2 * time.Minute}
	// Typing lints and saves a few times a second after debouncing; a script in a loop does far more.
	typingPerUser = store.Budget{Burst: 60, Every: 50 * time.Millisecond}
)

// Blocked reports whether key has used up its budget, without spending any.
func (l *limiter) Blocked(ctx context.Context, key string, b store.Budget) (bool, error) {
	return l.store.BudgetBlocked(ctx, key, b)
}

// Spend uses one attempt of key's budget.
func (l *limiter) Spend(ctx context.Context, key string, b store.Budget) error {
	_, err := l.store.SpendBudget(ctx, key, b)
	return err
}

// Allow spends one attempt of key's budget if there is one.
func (l *limiter) Allow(ctx context.Context, key string, b store.Budget) (bool, error) {
	return l.store.SpendBudget(ctx, key, b)
}

// SignInAttempt spends one attempt of the address's and the account's budgets (store.SignInAttempt);
// on success, the returned refund gives them back: only failures use up a budget.
func (l *limiter) SignInAttempt(ctx context.Context, account, address string) (ok bool, refund func() error, err error) {
	ok, spentAccount, err := l.store.SignInAttempt(ctx, account, address, signIn)
	if err != nil || !ok {
		return false, nil, err
	}
	return true, func() error { return l.store.RefundSignIn(ctx, account, address, spentAccount, signIn) }, nil
}

// AllowTyping spends one of key's typing budget, kept in this instance's memory.
func (l *limiter) AllowTyping(key string, b store.Budget) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.typing) > 50_000 {
		for k, b := range l.typing {
			if now.Sub(b.seen) > time.Hour {
				delete(l.typing, k)
			}
		}
	}
	t, ok := l.typing[key]
	if !ok {
		t = &bucket{lim: rate.NewLimiter(rate.Every(b.Every), b.Burst)}
		l.typing[key] = t
	}
	t.seen = now
	return t.lim.Allow()
}
