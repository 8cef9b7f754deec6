package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"coachdesk/internal/app"
	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

// On SIGTERM (the serve context ending) the server ends the event streams at once, lets a request
// in flight finish with its answer, and returns long before its ten-second drain limit.
func TestShutdownFinishesRequestsInFlightAndEndsEventStreams(t *testing.T) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: filepath.Join(t.TempDir(), "shutdown.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, sigterm := context.WithCancel(ctx)
	defer sigterm()
	served := make(chan error, 1)
	go func() { served <- a.Serve(serveCtx, ln) }()
	base := "http://" + ln.Addr().String()

	hash, _ := bcrypt.GenerateFromPassword([]byte(testkit.Password), bcrypt.MinCost)
	agent, err := a.Store.CreateUser(ctx, desk.User{Name: "Anna Agent", Email: "anna@coachdesk.test", Role: desk.RoleAgent, PasswordHash: string(hash), Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.Store.CreateToken(ctx, agent.Email)
	if err != nil {
		t.Fatal(err)
	}
	c := testkit.NewClient(t, base)
	c.SignIn(agent.Email, testkit.Password)
	stream := openStream(t, ctx, c, "/inbox/events", "")

	// A lint whose body is still coming: with Expect: 100-continue the first part is taken only once
	// the handler reads the body, so the request is in flight when the first Write returns.
	body, sendBody := io.Pipe()
	defer sendBody.Close() // a failed check must not leave the handler waiting for the rest
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/lint", body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Expect", "100-continue")
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 10 * time.Second}}
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, string(b), err}
	}()
	if _, err := io.WriteString(sendBody, `{"text":"Hej Jens`); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	sigterm()
	select {
	case _, open := <-stream:
		for open {
			_, open = <-stream
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the event stream was still open 2 s after shutdown began")
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) while a request was still in flight", err)
	case <-time.After(200 * time.Millisecond):
	}

	fmt.Fprint(sendBody, `\n\nMen prøv måske at genstarte.","lang":"da"}`)
	sendBody.Close()
	got := <-answered
	if got.err != nil || got.status != http.StatusOK || !strings.Contains(got.body, `"findings"`) {
		t.Fatalf("the lint in flight at shutdown: %d %v %.300s", got.status, got.err, got.body)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve had not returned 3 s after the last request finished (it waited for its drain limit)")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("shutdown took %v", took)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still takes connections after shutdown")
	}
}
