package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps token buckets per key (an account, an address) in memory.
// Each instance limits on its own; with several instances the budget multiplies, which is still a brake.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
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
