package web_test

import (
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"coachdesk/internal/testkit"
)

// clientFrom is a client whose connections leave from the given loopback address.
func clientFrom(e *testkit.Env, ip string) *testkit.Client {
	c := e.Client()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.HTTP.Transport = &http.Transport{DialContext: dialer.DialContext}
	return c
}

func TestSignInParallelGuessesAreCountedFirst(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	c.Get("/signin")
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			req, err := c.FormRequest("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {"guessing-wrong"}}, true)
			if err != nil {
				t.Error(err)
				return
			}
			r, err := c.TryDo(req)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			counts[r.Status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if counts[http.StatusTooManyRequests] < 35 || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 40 {
		t.Fatalf("40 parallel wrong passwords: %v, want at least 35 × 429 and the rest 401", counts)
	}
}

func TestSignInStrangerCannotLockOutTheOwner(t *testing.T) {
	e := testkit.New(t)
	attacker := clientFrom(e, "127.0.0.1")
	bad := url.Values{"email": {"anna@coachdesk.test"}, "password": {"guessing-wrong"}}
	for i := range 5 {
		if r := attacker.Post("/signin", bad); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, r.Status)
		}
	}
	// The attacker is throttled, even when they guess right …
	for _, pw := range []string{"guessing-wrong", testkit.Password} {
		if r := attacker.Post("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {pw}}); r.Status != http.StatusTooManyRequests {
			t.Fatalf("attacker after 5 failures: status %d, want 429", r.Status)
		}
	}
	// … while the owner, from an address without failures, still gets in.
	owner := clientFrom(e, "127.0.0.2")
	owner.Get("/signin")
	r := owner.Post("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {testkit.Password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("owner from a clean address: status %d, want 303", r.Status)
	}
	if owner.Get("/inbox").Status != http.StatusOK {
		t.Fatal("owner is not signed in")
	}
}
