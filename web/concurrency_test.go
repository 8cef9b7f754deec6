package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

// TestConcurrentWrites has 50 clients post replies and status changes at once, through HTTP, against
// the default SQLite setup. No request may fail with a 5xx or "database is locked", and every write the
// server acknowledged must be in the database afterwards.
func TestConcurrentWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency test skipped in -short mode")
	}
	const (
		clients    = 50
		tickets    = 10 // clients 0..9 each own one ticket's status; everyone replies
		perClient  = 30 // requests per client at most …
		runFor     = 3 * time.Second
		apiClients = 5 // … and some of them write through the JSON API instead of the pages
	)
	ctx := context.Background()
	e := testkit.New(t)

	numbers := make([]int64, tickets)
	ids := make([]int64, tickets)
	for i := range numbers {
		tk := e.Ticket(fmt.Sprintf("Samtidig sag %d", i), "Første besked fra kunden.")
		// An agent has answered already, so the ticket is open and later replies do not move its status.
		if _, err := e.Store.AddMessage(ctx, tk.Number, desk.NewMessage{Kind: desk.KindReply, Body: "Vi kigger på det.", UserID: e.Agent.ID}); err != nil {
			t.Fatal(err)
		}
		numbers[i], ids[i] = tk.Number, tk.ID
	}

	transport := &http.Transport{MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients, IdleConnTimeout: time.Minute}
	t.Cleanup(transport.CloseIdleConnections)
	agents := []string{"anna@coachdesk.test", "mikkel@coachdesk.test", "lead@coachdesk.test", "admin@coachdesk.test"}
	pages := make([]*testkit.Client, clients)
	for i := range pages {
		c := e.Client()
		c.HTTP.Transport = transport
		c.SignIn(agents[i%len(agents)], testkit.Password)
		pages[i] = c
	}
	api := e.API("mikkel@coachdesk.test")
	api.HTTP = &http.Client{Transport: transport}

	var (
		mu         sync.Mutex
		failures   []string
		acked      = make([]map[string]bool, tickets) // reply bodies the server acknowledged, per ticket
		lastStatus = make([]desk.Status, tickets)     // the owner's last acknowledged status
		changes    = make([]int, tickets)             // acknowledged status changes
		requests   int                                // answered, read or write
	)
	for i := range acked {
		acked[i] = map[string]bool{}
		lastStatus[i] = desk.StatusOpen
	}
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, fmt.Sprintf(format, args...))
	}
	// check classifies one answer; ok means the write was acknowledged.
	check := func(what string, r *testkit.Response, err error, okStatus int) bool {
		mu.Lock()
		requests++
		mu.Unlock()
		switch {
		case err != nil:
			fail("%s: %v", what, err)
		case r.Status >= 500 || strings.Contains(strings.ToLower(r.Body), "database is locked"):
			fail("%s: status %d: %.300s", what, r.Status, r.Body)
		case r.Status != okStatus:
			fail("%s: status %d, want %d: %.300s", what, r.Status, okStatus, r.Body)
		default:
			return true
		}
		return false
	}

	statuses := []desk.Status{desk.StatusPending, desk.StatusSolved, desk.StatusOpen}
	deadline := time.Now().Add(runFor)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for ci := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := pages[ci]
			<-start
			for k := 0; k < perClient && time.Now().Before(deadline); k++ {
				ti := (ci + k) % tickets
				n := numbers[ti]
				owner := ci < tickets && k%2 == 1
				switch {
				case owner:
					// The owner of ticket ci moves its status round pending → solved → open, one step per change.
					ti, n = ci, numbers[ci]
					mu.Lock()
					next := statuses[changes[ti]%len(statuses)]
					mu.Unlock()
					path := fmt.Sprintf("/tickets/%d/properties", n)
					form := url.Values{"status": {string(next)}}
					var r *testkit.Response
					var err error
					var ok bool
					if k%4 == 1 {
						req, rerr := c.FormRequest(path, form, true)
						if rerr != nil {
							fail("build request: %v", rerr)
							return
						}
						r, err = c.TryDo(req)
						ok = check("status (form) "+path, r, err, http.StatusSeeOther)
					} else {
						req, rerr := c.HTMXRequest(path, "properties", form)
						if rerr != nil {
							fail("build request: %v", rerr)
							return
						}
						r, err = c.TryDo(req)
						ok = check("status (htmx) "+path, r, err, http.StatusOK)
						if ok && strings.Contains(r.Body, `class="alert`) {
							fail("status (htmx) %s refused: %.300s", path, r.Body)
							ok = false
						}
					}
					if ok {
						mu.Lock()
						lastStatus[ti] = next
						changes[ti]++
						mu.Unlock()
					}
				case k%7 == 6:
					// Readers load the page meanwhile (and their sessions are written back, too).
					path := fmt.Sprintf("%s/tickets/%d", e.URL, n)
					req, _ := http.NewRequest(http.MethodGet, path, nil)
					r, err := c.TryDo(req)
					if check("read "+path, r, err, http.StatusOK) && !strings.Contains(r.Body, `id="thread"`) {
						fail("read %s: no thread on the page", path)
					}
				case ci >= clients-apiClients:
					body := fmt.Sprintf("API-svar %d-%d", ci, k)
					raw := fmt.Sprintf(`{"kind": "reply", "body": %q}`, body)
					path := fmt.Sprintf("%s/api/v1/tickets/%d/messages", e.URL, n)
					req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(raw))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+api.Token)
					r, err := c.TryDo(req)
					if check("reply (API) "+path, r, err, http.StatusCreated) {
						mu.Lock()
						acked[ti][body] = true
						mu.Unlock()
					}
				default:
					body := fmt.Sprintf("Svar %d-%d", ci, k)
					kind := "reply"
					if k%5 == 4 {
						kind = "note"
					}
					path := fmt.Sprintf("/tickets/%d/messages", n)
					form := url.Values{"kind": {kind}, "body": {body}}
					var ok bool
					if k%2 == 0 {
						req, err := c.FormRequest(path, form, true)
						if err != nil {
							fail("build request: %v", err)
							return
						}
						r, err := c.TryDo(req)
						ok = check("reply (form) "+path, r, err, http.StatusSeeOther)
					} else {
						req, err := c.HTMXRequest(path, "conversation", form)
						if err != nil {
							fail("build request: %v", err)
							return
						}
						r, err := c.TryDo(req)
						ok = check("reply (htmx) "+path, r, err, http.StatusOK)
						if ok && (!strings.Contains(r.Body, body) || strings.Contains(r.Body, `class="field-error"`)) {
							fail("reply (htmx) %s: the answer does not show the sent message: %.300s", path, r.Body)
							ok = false
						}
					}
					if ok {
						mu.Lock()
						acked[ti][body] = true
						mu.Unlock()
					}
				}
			}
		}()
	}
	close(start)
	wg.Wait()

	if len(failures) > 0 {
		max := min(len(failures), 10)
		t.Fatalf("%d of %d requests failed; the first %d:\n%s", len(failures), requests, max, strings.Join(failures[:max], "\n"))
	}
	totalReplies := 0
	for ti := range numbers {
		thread, err := e.Store.Thread(ctx, ids[ti])
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]int{}
		for _, m := range thread {
			stored[m.Body]++
		}
		for body := range acked[ti] {
			if stored[body] != 1 {
				t.Errorf("ticket %d: acknowledged message %q is stored %d times", numbers[ti], body, stored[body])
			}
		}
		if want := 2 + len(acked[ti]); len(thread) != want {
			t.Errorf("ticket %d: %d messages stored, %d acknowledged (plus 2 from the setup)", numbers[ti], len(thread), want)
		}
		totalReplies += len(acked[ti])

		tk, err := e.Store.Ticket(ctx, numbers[ti])
		if err != nil {
			t.Fatal(err)
		}
		if tk.Status != lastStatus[ti] {
			t.Errorf("ticket %d: status %s, but the last acknowledged change set %s", numbers[ti], tk.Status, lastStatus[ti])
		}
		events, _ := e.Store.Events(ctx, ids[ti])
		statusEvents := 0
		for _, ev := range events {
			if ev.Field == "status" {
				statusEvents++
			}
		}
		// One status event from the setup's first reply (new → open), then one per acknowledged change.
		if want := 1 + changes[ti]; statusEvents != want {
			t.Errorf("ticket %d: %d status events, want %d", numbers[ti], statusEvents, want)
		}
	}
	if totalReplies == 0 {
		t.Fatal("no reply was acknowledged")
	}
	t.Logf("%d requests from %d clients: %d replies and notes stored, status changes %v", requests, clients, totalReplies, changes)
}
