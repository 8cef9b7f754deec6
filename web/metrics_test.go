package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/app"
)

// serveMetrics serves e's /metrics on a listener of its own, as --metrics-addr does, and returns its URL.
func serveMetrics(t *testing.T, e *faultEnv) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.ServeMetrics(ctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("metrics server: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// scrape reads the metrics at url (with token as a bearer token when it is set).
func scrape(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, readAll(t, resp)
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sample is the value of the series whose name and labels (as exposed, labels sorted) are series, or -1.
func sample(text, series string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return -1
	}
	return v
}

func TestMetricsOnTheirOwnAddressNameRoutesNotURLs(t *testing.T) {
	e := startFaultEnv(t, app.Config{})
	murl := serveMetrics(t, e)
	c := e.signIn(t)
	ticket := fmt.Sprintf("/tickets/%d", e.ticket.Number)
	for range 3 {
		if r := c.Get(ticket); r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d", ticket, r.Status)
		}
	}
	if r := c.Get("/no/such/page/4711"); r.Status != http.StatusNotFound {
		t.Fatalf("GET an unknown page: %d", r.Status)
	}

	status, text := scrape(t, murl, "")
	if status != http.StatusOK {
		t.Fatalf("/metrics on the metrics address: %d\n%s", status, text)
	}
	if n := sample(text, `coachdesk_http_request_duration_seconds_count{method="GET",route="/tickets/:number",status="200"}`); n != 3 {
		t.Errorf("ticket page requests counted under its route template: %v, want 3", n)
	}
	if strings.Contains(text, `route="`+ticket+`"`) || strings.Contains(text, "4711") {
		t.Errorf("a raw URL became a route label:\n%s", grepLines(text, "route="))
	}
	if n := sample(text, `coachdesk_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}`); n < 1 {
		t.Errorf("an unknown page is not counted as route=\"unmatched\":\n%s", grepLines(text, "_count{"))
	}
	// Signing in wrote a session: the write went through the queue and the writer's pool.
	if n := sample(text, `coachdesk_store_write_wait_seconds_count`); n < 1 {
		t.Errorf("no write's queue wait observed: %v", n)
	}
	for _, name := range []string{
		"coachdesk_store_write_queue_depth 0",
		"coachdesk_store_write_commits_total ",
		`go_sql_max_open_connections{db_name="writer"} 1`,
		`go_sql_max_open_connections{db_name="reader"} 8`,
		`go_sql_in_use_connections{db_name="reader"}`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
		"# TYPE coachdesk_http_request_duration_seconds histogram",
		`coachdesk_event_streams_open{kind="inbox"} 0`,
	} {
		if !strings.Contains(text, name) {
			t.Errorf("/metrics lacks %q", name)
		}
	}

	// The main address does not answer /metrics without a token configured.
	if r := c.Get("/metrics"); r.Status != http.StatusNotFound {
		t.Errorf("/metrics on the main address without --metrics-token: %d, want 404", r.Status)
	}
	// The metrics address serves nothing but /metrics.
	if status, _, _ := get(t, murl+"/inbox"); status != http.StatusNotFound {
		t.Errorf("/inbox on the metrics address: %d, want 404", status)
	}
}

func TestMetricsOnTheMainAddressNeedTheToken(t *testing.T) {
	const token = "s3cret-metrics-token"
	e := startFaultEnv(t, app.Config{MetricsToken: token})
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"a wrong token", "Bearer not-the-token", http.StatusUnauthorized},
		{"the token as a longer one", "Bearer " + token + "x", http.StatusUnauthorized},
		{"the token not as a bearer", token, http.StatusUnauthorized},
		{"the token", "Bearer " + token, http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.url+"/metrics", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.want)
		}
		if tc.want == http.StatusOK && !strings.Contains(body, "coachdesk_http_request_duration_seconds_bucket{") {
			t.Errorf("%s: no request histogram in\n%.500s", tc.name, body)
		}
		if tc.want != http.StatusOK && strings.Contains(body, "go_goroutines") {
			t.Errorf("%s: metrics shown without the token", tc.name)
		}
	}
}

func TestMetricsTimeTheLint(t *testing.T) {
	e := startFaultEnv(t, app.Config{})
	murl := serveMetrics(t, e)
	token, err := e.a.Store.CreateToken(context.Background(), e.agent.Email)
	if err != nil {
		t.Fatal(err)
	}
	if _, text := scrape(t, murl, ""); sample(text, `coachdesk_lint_duration_seconds_count{lang="da"}`) > 0 {
		t.Fatal("a lint counted before any was asked for")
	}
	req, _ := http.NewRequest(http.MethodPost, e.url+"/api/v1/lint", strings.NewReader(`{"text":"Hej Jens\n\nMen prøv måske at genstarte.","lang":"da"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v1/lint: %d", resp.StatusCode)
	}
	_, text := scrape(t, murl, "")
	if n := sample(text, `coachdesk_lint_duration_seconds_count{lang="da"}`); n != 1 {
		t.Errorf("lints timed: %v, want 1\n%s", n, grepLines(text, "coachdesk_lint"))
	}
	if n := sample(text, `coachdesk_http_request_duration_seconds_count{method="POST",route="/api/v1/lint",status="200"}`); n != 1 {
		t.Errorf("lint requests counted: %v, want 1", n)
	}
}

func TestMetricsCountOpenEventStreams(t *testing.T) {
	e := startFaultEnv(t, app.Config{})
	murl := serveMetrics(t, e)
	c := e.signIn(t)
	const inbox = `coachdesk_event_streams_open{kind="inbox"}`
	const ticket = `coachdesk_event_streams_open{kind="ticket"}`

	ctx, closeStreams := context.WithCancel(context.Background())
	defer closeStreams()
	a := openStream(t, ctx, c, "/inbox/events", "")
	b := openStream(t, ctx, c, fmt.Sprintf("/tickets/%d/events", e.ticket.Number), "")
	waitSample(t, murl, inbox, 1)
	waitSample(t, murl, ticket, 1)

	closeStreams()
	for range a {
	}
	for range b {
	}
	waitSample(t, murl, inbox, 0)
	waitSample(t, murl, ticket, 0)
}

// waitSample waits up to two seconds for series to read want on the metrics at murl.
func waitSample(t *testing.T, murl, series string, want float64) {
	t.Helper()
	var got float64
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		_, text := scrape(t, murl, "")
		if got = sample(text, series); got == want {
			return
		}
	}
	t.Errorf("%s = %v, want %v", series, got, want)
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
