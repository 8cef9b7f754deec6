package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps token buckets per key (an account, an address) in memory.
// Each instance limits on its own; with several instances the budget multiplies, which is still a brake.
type limiter struct {
	mu       sync.Mutex
	buckets  map[string]*bucket
	counts   map[string]*count    // sign-in budgets, refundable
	suspects map[string]time.Time // sign-in addresses with a recent attempt that did not succeed
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter() *limiter { return &limiter{buckets: map[string]*bucket{}} }

// Policies: a burst of attempts, then one more per interval.
var (
	signInPerAccount = policy{burst: 5, every: time.Minute}
	signInPerAddress = policy{burst: 20, every: 15 * time.Second}
	supportPerAddr   = policy{burst: 5, every: 2 * time.Minute}
	// Typing lints and saves a few times a second after debouncing; a script in a loop does far more.
	typingPerUser = policy{burst: 60, every: 50 * time.Millisecond}
)

type policy struct {
	burst int
	every time.Duration
}

func (l *limiter) get(key string, p policy) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.buckets) > 50_000 {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > time.Hour {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(p.every), p.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim
}

// Blocked reports whether key has used up its budget, without spending any.
func (l *limiter) Blocked(key string, p policy) bool { return l.get(key, p).Tokens() < 1 }

// Spend uses one attempt of key's budget.
func (l *limiter) Spend(key string, p policy) { l.get(key, p).Allow() }

// Allow spends one attempt of key's budget if there is one.
func (l *limiter) Allow(key string, p policy) bool { return l.get(key, p).Allow() }

// signInWindow is how long an address stays suspect after an attempt that did not succeed.
const signInWindow = 15 * time.Minute

// SignInAttempt spends one attempt of the address's and the account's budgets at once, before any
// password is checked, so parallel guesses cannot all slip past the check. An address with no recent
// failures may still try an account whose budget strangers spent, so they cannot lock its owner out.
// On success, the returned refund gives the attempts back: only failures use up a budget.
func (l *limiter) SignInAttempt(account, address string) (ok bool, refund func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.counts == nil {
		l.counts, l.suspects = map[string]*count{}, map[string]time.Time{}
	}
	if len(l.counts) > 50_000 {
		for k, c := range l.counts {
			if now.Sub(c.last) > time.Hour {
				delete(l.counts, k)
			}
		}
		for k, t := range l.suspects {
			if now.Sub(t) > signInWindow {
				delete(l.suspects, k)
			}
		}
	}
	addr := l.count(address, signInPerAddress, now)
	if addr.tokens < 1 {
		return false, nil
	}
	addr.tokens--
	last, seen := l.suspects[address]
	// Marked before the check, so the next parallel attempt from here already counts as suspect.
	l.suspects[address] = now
	acct := l.count(account, signInPerAccount, now)
	spent := acct.tokens >= 1
	if spent {
		acct.tokens--
	} else if seen && now.Sub(last) <= signInWindow {
		addr.tokens++
		return false, nil
	}
	return true, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		addr.tokens = min(addr.tokens+1, float64(signInPerAddress.burst))
		if spent {
			acct.tokens = min(acct.tokens+1, float64(signInPerAccount.burst))
		}
		delete(l.suspects, address)
	}
}

// count is a token bucket that can be given back, which rate.Limiter cannot do after the fact.
type count struct {
	tokens float64
	last   time.Time
}

// count refills key's bucket up to now; l.mu must be held.
func (l *limiter) count(key string, p policy, now time.Time) *count {
	c, ok := l.counts[key]
	if !ok {
		c = &count{tokens: float64(p.burst), last: now}
		l.counts[key] = c
	}
	c.tokens = min(float64(p.burst), c.tokens+float64(now.Sub(c.last))/float64(p.every))
	c.last = now
	return c
}
