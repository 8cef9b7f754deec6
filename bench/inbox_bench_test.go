// Package bench measures Coachdesk server-side at scale: the real HTTP handler over a seeded database.
//
// The database is seeded once per size and cached (COACHDESK_BENCH_DB, default a file in the temp
// directory named after the size), so repeated runs skip the seed. A plain `go test` runs only
// TestHarness on a small database; the benchmarks run with -bench. See README.md.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/app"
	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit"
)

const defaultTickets = 20000

// env is a signed-in agent in front of the real handler.
type env struct {
	st      *store.Store
	h       http.Handler
	cookies []*http.Cookie
	agent   desk.User
	first   int64 // first and last ticket number
	last    int64
}

func benchSize() int {
	if s := os.Getenv("COACHDESK_BENCH_TICKETS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return defaultTickets
}

func benchPath(n int) string {
	if p := os.Getenv("COACHDESK_BENCH_DB"); p != "" {
		return p
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("coachdesk-bench-%d.db", n))
}

// open seeds the database at path with n generated tickets unless it is already there.
// The demo logins are kept beside it, since their passwords are printed only once.
func open(tb testing.TB, path string, n int) *env {
	tb.Helper()
	ctx := context.Background()
	loginsPath := path + ".logins.json"
	if _, err := os.Stat(loginsPath); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		st, err := store.Open(ctx, path)
		if err != nil {
			tb.Fatal(err)
		}
		start := time.Now()
		logins, err := demo.Seed(ctx, st, n)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Logf("seeded %d tickets into %s in %s", n, path, time.Since(start).Round(time.Second))
		st.Close()
		data, _ := json.Marshal(logins)
		if err := os.WriteFile(loginsPath, data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	var logins []demo.Login
	data, err := os.ReadFile(loginsPath)
	if err == nil {
		err = json.Unmarshal(data, &logins)
	}
	if err != nil {
		tb.Fatal(err)
	}
	a, err := app.Open(ctx, app.Config{DB: path})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	st := a.Store
	e := &env{st: st, h: a.Web}
	for _, l := range logins {
		if l.Email == "anna@coachdesk.test" {
			e.signIn(tb, l.Email, l.Password)
		}
	}
	if e.agent, err = st.UserByEmail(ctx, "anna@coachdesk.test"); err != nil {
		tb.Fatal(err)
	}
	page, err := st.ListTickets(ctx, desk.Filter{Sort: desk.SortCreated, Limit: 1})
	if err != nil || len(page.Tickets) == 0 {
		tb.Fatalf("no tickets: %v", err)
	}
	e.first, e.last = 1001, page.Tickets[0].Number
	return e
}

// signIn does what a browser does: load the form for its CSRF cookie and token, post it, keep the session cookie.
func (e *env) signIn(tb testing.TB, email, password string) {
	tb.Helper()
	w := e.do(httptest.NewRequest(http.MethodGet, "/signin", nil))
	token := testkit.CSRFFrom(w.Body.String())
	e.keep(w)
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {token}, "next": {"/inbox"}}
	req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = e.do(req)
	if w.Code != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: status %d\n%s", email, w.Code, w.Body.String())
	}
	e.keep(w)
}

func (e *env) keep(w *httptest.ResponseRecorder) {
	for _, c := range w.Result().Cookies() {
		e.cookies = slices.DeleteFunc(e.cookies, func(old *http.Cookie) bool { return old.Name == c.Name })
		e.cookies = append(e.cookies, c)
	}
}

func (e *env) do(req *http.Request) *httptest.ResponseRecorder {
	for _, c := range e.cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

// get serves one GET and fails unless it answers 200 with want in the page.
func (e *env) get(tb testing.TB, path, want string) time.Duration {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	start := time.Now()
	w := e.do(req)
	d := time.Since(start)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), want) {
		body, _ := io.ReadAll(io.LimitReader(w.Body, 2000))
		tb.Fatalf("GET %s: status %d, want 200 with %q\n%s", path, w.Code, want, body)
	}
	return d
}

// cursor walks pages of a view through the store and returns the cursor of page `pages` (a deep keyset page).
func (e *env) cursor(tb testing.TB, f desk.Filter, pages int) string {
	tb.Helper()
	f.UserID = e.agent.ID
	for i := 0; i < pages; i++ {
		page, err := e.st.ListTickets(context.Background(), f)
		if err != nil {
			tb.Fatal(err)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	return f.After
}

// An op is one measured request; path is called per iteration so tickets and search terms vary.
type op struct {
	name string
	path func(r *rand.Rand) string
	want string
}

func (e *env) ops(tb testing.TB) []op {
	deepOpen := e.cursor(tb, desk.Filter{View: desk.ViewOpen}, 40)
	deepMine := e.cursor(tb, desk.Filter{View: desk.ViewMine}, 20)
	deepAll := e.cursor(tb, desk.Filter{View: desk.ViewAll}, 200)
	deepCommon := e.cursor(tb, desk.Filter{View: desk.ViewAll, Query: "pakke"}, 20)
	deepPriority := e.cursor(tb, desk.Filter{View: desk.ViewOpen, Sort: desk.SortPriority}, 20)
	deepTag := e.cursor(tb, desk.Filter{View: desk.ViewAll, Tag: "levering"}, 20)
	n := e.last - e.first
	order := func(r *rand.Rand) string { return strconv.FormatInt(3000000+r.Int64N(max(n-100, 1)), 10) }
	return []op{
		{"inbox-mine", func(*rand.Rand) string { return "/inbox" }, `class="ticket-subject"`},
		{"inbox-mine-deep", func(*rand.Rand) string { return "/inbox?view=mine&after=" + deepMine }, `class="ticket-subject"`},
		{"inbox-open", func(*rand.Rand) string { return "/inbox?view=open" }, `class="ticket-subject"`},
		{"inbox-open-deep", func(*rand.Rand) string { return "/inbox?view=open&after=" + deepOpen }, `class="ticket-subject"`},
		{"inbox-all-deep", func(*rand.Rand) string { return "/inbox?view=all&after=" + deepAll }, `class="ticket-subject"`},
		{"inbox-open-priority", func(*rand.Rand) string { return "/inbox?view=open&sort=priority&after=" + deepPriority }, `class="ticket-subject"`},
		{"inbox-tag", func(*rand.Rand) string { return "/inbox?view=all&tag=levering&after=" + deepTag }, `class="ticket-subject"`},
		{"inbox-tag-rare-open", func(*rand.Rand) string { return "/inbox?view=open&tag=vip" }, `id="ticket-list"`},
		{"ticket", func(r *rand.Rand) string { return "/tickets/" + strconv.FormatInt(e.first+r.Int64N(n+1), 10) }, "<h1"},
		{"search-selective", func(r *rand.Rand) string { return "/inbox?view=all&q=" + order(r) }, `class="ticket-subject"`},
		{"search-two-words", func(*rand.Rand) string { return "/inbox?view=all&q=" + url.QueryEscape("birgitte kaffemaskine") }, `id="ticket-list"`},
		{"search-medium", func(*rand.Rand) string { return "/inbox?view=all&q=kaffemaskine" }, `class="ticket-subject"`},
		{"search-common", func(*rand.Rand) string { return "/inbox?view=all&q=pakke" }, `class="ticket-subject"`},
		{"search-common-deep", func(*rand.Rand) string { return "/inbox?view=all&q=pakke&after=" + deepCommon }, `class="ticket-subject"`},
		{"search-common-open", func(*rand.Rand) string { return "/inbox?view=open&q=pakke" }, `class="ticket-subject"`},
	}
}

// BenchmarkServer measures each request through the real handler and reports its median and 99th percentile.
// Run with -benchtime=300x (or more) so the 99th percentile rests on enough requests.
func BenchmarkServer(b *testing.B) {
	n := benchSize()
	e := open(b, benchPath(n), n)
	for _, o := range e.ops(b) {
		b.Run(o.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			e.get(b, o.path(r), o.want) // warm up: the first request pays for opening connections and pages
			durations := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				durations = append(durations, e.get(b, o.path(r), o.want))
			}
			b.StopTimer()
			slices.Sort(durations)
			b.ReportMetric(ms(quantile(durations, 0.50)), "p50-ms")
			b.ReportMetric(ms(quantile(durations, 0.99)), "p99-ms")
			b.ReportMetric(ms(durations[len(durations)-1]), "max-ms")
		})
	}
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * q)
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// TestHarness runs every benchmarked request once on a small database, so the harness stays working.
func TestHarness(t *testing.T) {
	e := open(t, filepath.Join(t.TempDir(), "harness.db"), 1500)
	r := rand.New(rand.NewPCG(1, 2))
	for _, o := range e.ops(t) {
		e.get(t, o.path(r), o.want)
	}
	// A selective search finds exactly the ticket with that order number.
	body := e.do(httptest.NewRequest(http.MethodGet, "/inbox?view=all&q=3000700", nil)).Body.String()
	if !strings.Contains(body, `class="ticket-subject"`) {
		t.Fatalf("search for an order number found nothing")
	}
}
