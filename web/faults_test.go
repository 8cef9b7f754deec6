package web_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"coachdesk/internal/app"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit"
	"coachdesk/internal/testkit/dblock"
	"coachdesk/internal/testkit/pgtest"
)

// The faults are made as in store's tests, so they work as root too: a full disk with
// PRAGMA max_page_count on the writer, a lock with a second connection holding a write transaction.

// faultEnv is the app started with cfg (testkit starts it with defaults), an agent and a ticket.
type faultEnv struct {
	a      *app.App
	url    string
	path   string
	agent  desk.User
	ticket desk.Ticket
}

func startFaultEnv(t *testing.T, cfg app.Config) *faultEnv {
	t.Helper()
	ctx := context.Background()
	cfg.DB = filepath.Join(t.TempDir(), "faults.db")
	a, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Serve(serveCtx, ln) }()
	t.Cleanup(func() {
		stop()
		<-done
		a.Close()
	})
	hash, _ := bcrypt.GenerateFromPassword([]byte(testkit.Password), bcrypt.MinCost)
	agent, err := a.Store.CreateUser(ctx, desk.User{Name: "Anna Agent", Email: "anna@coachdesk.test", Role: desk.RoleAgent, PasswordHash: string(hash), Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := a.Store.CreateTicket(ctx, desk.NewTicket{Subject: "Pakken er ikke kommet", Body: "Hej, hvor er min pakke?",
		CustomerName: "Jens Hansen", CustomerEmail: "jens@example.dk", Channel: desk.ChannelEmail})
	if err != nil {
		t.Fatal(err)
	}
	return &faultEnv{a: a, url: "http://" + ln.Addr().String(), path: cfg.DB, agent: agent, ticket: tk}
}

func (e *faultEnv) signIn(t *testing.T) *testkit.Client {
	c := testkit.NewClient(t, e.url)
	c.SignIn(e.agent.Email, testkit.Password)
	return c
}

// fillDisk makes the writer's database full: no page can be added until room is made again.
func fillDisk(t *testing.T, st *store.Store) (makeRoom func()) {
	t.Helper()
	ctx := context.Background()
	if err := st.OnWriter(ctx, "PRAGMA max_page_count = 1"); err != nil { // clamps to the current size
		t.Fatal(err)
	}
	return func() {
		if err := st.OnWriter(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
			t.Fatal(err)
		}
	}
}

func get(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestReadyzAnswersWhetherTheDatabaseTakesAWrite(t *testing.T) {
	e := startFaultEnv(t, app.Config{Store: store.Options{BusyTimeout: 100 * time.Millisecond}})
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz on a healthy database: %d %q", status, body)
	}

	makeRoom := fillDisk(t, e.a.Store)
	status, h, body := get(t, e.url+"/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "full or read-only") || h.Get("Retry-After") == "" {
		t.Errorf("/readyz on a full disk: %d %q, Retry-After %q", status, body, h.Get("Retry-After"))
	}
	if status, _, _ := get(t, e.url+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz on a full disk: %d, want 200 (the process is up)", status)
	}
	makeRoom()
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz once there is room: %d %q", status, body)
	}

	if err := e.a.Store.OnWriter(context.Background(), "PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz on a read-only connection: %d %q", status, body)
	}
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz after the read-only answer: %d %q (the connection was not reopened)", status, body)
	}

	release := dblock.Hold(t, e.path)
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while another process holds the lock: %d %q", status, body)
	}
	release()
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz after the lock is released: %d %q", status, body)
	}
}

func TestFullDiskKeepsReadsAndRefusesWritesClearly(t *testing.T) {
	pgtest.SQLiteOnly(t, "a full disk is drilled with SQLite's PRAGMA max_page_count")
	e := testkit.New(t)
	tk := e.Ticket("Pakken er ikke kommet", "Hej, hvor er min pakke?")
	agent := e.SignIn("anna@coachdesk.test")
	api := e.API("anna@coachdesk.test")
	path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	agent.Get(path)
	api.Do(http.MethodGet, "/api/v1/tickets", nil) // the token's first use is noted while there is room

	makeRoom := fillDisk(t, e.Store)
	for _, page := range []string{path, "/inbox?view=all"} {
		if r := agent.Get(page); r.Status != http.StatusOK || !strings.Contains(r.Body, "Pakken er ikke kommet") {
			t.Errorf("GET %s on a full disk: %d", page, r.Status)
		}
	}

	typed := strings.Repeat("Kunden ringer igen om pakken og vil have et nyt spor-nummer. ", 800)
	r := agent.Post(path+"/messages", url.Values{"kind": {"note"}, "body": {typed}})
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Body, "full or read-only") || r.Header.Get("Retry-After") == "" {
		t.Errorf("a note on a full disk: %d, Retry-After %q, want 503 saying the database is full or read-only", r.Status, r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.Body, "Kunden ringer igen om pakken og vil have et nyt spor-nummer.") {
		t.Error("the note's text is gone from the page that refused it")
	}

	r = agent.PostHTMX(path+"/messages", "conversation", url.Values{"kind": {"note"}, "body": {typed}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "full or read-only") || !strings.Contains(r.Body, "Kunden ringer igen om pakken og vil have et nyt spor-nummer.") {
		t.Errorf("a note from the composer (htmx) on a full disk: %d, want 200 with the reason beside the kept text", r.Status)
	}

	r = api.Do(http.MethodPost, "/api/v1/tickets/"+strconv.FormatInt(tk.Number, 10)+"/messages", map[string]string{"kind": "note", "body": typed})
	if r.Status != http.StatusServiceUnavailable || r.Err(t).Error.Code != "unavailable" || !strings.Contains(r.Err(t).Error.Message, "full or read-only") {
		t.Errorf("API note on a full disk: %d %s", r.Status, r.Body)
	}

	makeRoom()
	if r := agent.Post(path+"/messages", url.Values{"kind": {"note"}, "body": {typed}}); r.Status != http.StatusSeeOther {
		t.Errorf("the same note once there is room: %d, want 303", r.Status)
	}
}

func TestPagesNeedNoSessionWriteWhileTheDatabaseIsLocked(t *testing.T) {
	e := startFaultEnv(t, app.Config{Store: store.Options{BusyTimeout: 200 * time.Millisecond}})
	agent := e.signIn(t)
	path := "/tickets/" + strconv.FormatInt(e.ticket.Number, 10)
	release := dblock.Hold(t, e.path)
	defer release()
	for _, page := range []string{path, "/inbox?view=all"} {
		if r := agent.Get(page); r.Status != http.StatusOK || !strings.Contains(r.Body, "Pakken er ikke kommet") {
			t.Errorf("GET %s while the database is locked: %d", page, r.Status)
		}
	}
	r := agent.Post(path+"/messages", url.Values{"kind": {"note"}, "body": {"Ringede til kunden kl. 14."}})
	if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "1" || !strings.Contains(r.Body, "busy") {
		t.Errorf("a note while locked past the busy timeout: %d, Retry-After %q, want 503 'busy' with Retry-After 1", r.Status, r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.Body, "Ringede til kunden kl. 14.") {
		t.Error("the note's text is gone from the page that refused it")
	}
}

func TestOverloadIsShedAtOnceWithRetryAfter(t *testing.T) {
	e := startFaultEnv(t, app.Config{Store: store.Options{MaxQueue: 2}})
	agent := e.signIn(t)
	path := "/tickets/" + strconv.FormatInt(e.ticket.Number, 10)
	agent.Get(path)
	release := dblock.Hold(t, e.path)

	const writers = 6
	type answer struct {
		status int
		retry  string
		err    error
	}
	answers := make(chan answer, writers)
	for i := range writers {
		req, err := agent.FormRequest(path+"/messages", url.Values{"kind": {"note"}, "body": {fmt.Sprintf("Note nummer %d.", i)}}, true)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			r, err := agent.TryDo(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			answers <- answer{status: r.Status, retry: r.Header.Get("Retry-After")}
		}()
	}
	// Two wait behind the lock; the rest are refused while it is still held.
	for range writers - 2 {
		a := <-answers
		if a.err != nil || a.status != http.StatusServiceUnavailable || a.retry == "" {
			t.Errorf("a write past the queue bound: %d %v, Retry-After %q, want 503 with Retry-After", a.status, a.err, a.retry)
		}
	}
	release()
	for range 2 {
		if a := <-answers; a.status != http.StatusSeeOther {
			t.Errorf("a queued write after the lock is gone: %d %v, want 303", a.status, a.err)
		}
	}
}

func TestSlowBodyIsCutOffAndEventStreamsOutliveTheReadTimeout(t *testing.T) {
	e := startFaultEnv(t, app.Config{ReadTimeout: 300 * time.Millisecond})
	agent := e.signIn(t)

	// An event stream opened now still hears an event after the read timeout has passed.
	req, _ := http.NewRequest(http.MethodGet, e.url+"/tickets/"+strconv.FormatInt(e.ticket.Number, 10)+"/events", nil)
	resp, err := agent.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(600 * time.Millisecond)
	if _, err := e.a.Desk.Send(context.Background(), helpdesk.Outgoing{Number: e.ticket.Number, Agent: e.agent, Kind: desk.KindNote, Body: "Ringede til kunden."}); err != nil {
		t.Fatal(err)
	}
	events := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: message") {
				events <- sc.Text()
				return
			}
		}
		events <- "stream ended: " + fmt.Sprint(sc.Err())
	}()
	select {
	case got := <-events:
		if !strings.HasPrefix(got, "event: message") {
			t.Errorf("event stream after the read timeout: %s", got)
		}
	case <-time.After(10 * time.Second):
		t.Error("no event on the stream")
	}

	// A body that stalls after a few bytes is cut off instead of holding the connection.
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /support HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\nname=Jens")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // the test's own limit, far past the server's
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("a stalled request body held the connection open")
	}
}
