package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"coachdesk/internal/store"
)

// cli runs the command line in-process and returns its exit code and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageAndUnknownCommands(t *testing.T) {
	if code, _, stderr := cli(t); code != 2 || !strings.Contains(stderr, "Usage:") {
		t.Fatalf("no arguments: code %d, stderr %q", code, stderr)
	}
	if code, stdout, _ := cli(t, "help"); code != 0 || !strings.Contains(stdout, "coachdesk serve") {
		t.Fatalf("help: code %d, stdout %q", code, stdout)
	}
	if code, _, stderr := cli(t, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "user", "remove"); code != 2 || !strings.Contains(stderr, "user add") {
		t.Fatalf("user remove: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "token"); code != 2 || !strings.Contains(stderr, "token create") {
		t.Fatalf("token: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "migrate", "--nope"); code != 2 || !strings.Contains(stderr, "nope") {
		t.Fatalf("unknown flag: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "migrate", "extra"); code != 2 || !strings.Contains(stderr, `unexpected argument "extra"`) {
		t.Fatalf("extra argument: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "serve", "--log-level", "loud", "--db", filepath.Join(t.TempDir(), "x.db")); code != 2 || !strings.Contains(stderr, "--log-level") {
		t.Fatalf("bad log level: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "demo", "--tickets", "-1", "--db", filepath.Join(t.TempDir(), "x.db")); code != 2 || !strings.Contains(stderr, "--tickets") {
		t.Fatalf("negative tickets: code %d, stderr %q", code, stderr)
	}
}

func TestUserTokenDemoAndMigrate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")

	if code, _, stderr := cli(t, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: code %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := cli(t, "user", "add", "--db", db, "--email", "ida@coachdesk.test", "--name", "Ida Agent", "--role", "agent")
	if code != 0 || !strings.Contains(stdout, "Created agent ida@coachdesk.test") || !strings.Contains(stdout, "Password: ") {
		t.Fatalf("user add: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, stderr := cli(t, "user", "add", "--db", db, "--email", "ida@coachdesk.test", "--name", "Ida Again", "--password", "long-enough-password"); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Fatalf("duplicate user: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "user", "add", "--db", db, "--email", "x@coachdesk.test", "--name", "X", "--password", "short"); code != 1 || !strings.Contains(stderr, "at least") {
		t.Fatalf("short password: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "user", "add", "--db", db, "--email", "y@coachdesk.test", "--name", "Y", "--role", "boss", "--password", "long-enough-password"); code != 1 || !strings.Contains(stderr, "Unknown role") {
		t.Fatalf("bad role: code %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "user", "add", "--db", db, "--name", "No Mail"); code != 2 || !strings.Contains(stderr, "--email") {
		t.Fatalf("missing e-mail: code %d, stderr %q", code, stderr)
	}

	code, stdout, stderr = cli(t, "token", "create", "--db", db, "--email", "ida@coachdesk.test")
	token := strings.TrimSpace(stdout)
	if code != 0 || !strings.HasPrefix(token, "cd_") {
		t.Fatalf("token create: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByToken(context.Background(), token)
	st.Close()
	if err != nil || u.Email != "ida@coachdesk.test" {
		t.Fatalf("the printed token does not authenticate Ida: %+v, %v", u, err)
	}
	if code, _, stderr := cli(t, "token", "create", "--db", db, "--email", "nobody@coachdesk.test"); code != 1 || stderr == "" {
		t.Fatalf("token for an unknown user: code %d, stderr %q", code, stderr)
	}

	// Demo data goes only into an empty database.
	if code, stdout, _ := cli(t, "demo", "--db", db); code != 0 || !strings.Contains(stdout, "already") {
		t.Fatalf("demo into a database with users: code %d, stdout %q", code, stdout)
	}
	fresh := filepath.Join(t.TempDir(), "demo.db")
	code, stdout, stderr = cli(t, "demo", "--db", fresh)
	if code != 0 || !strings.Contains(stdout, "anna@coachdesk.test") || !strings.Contains(stdout, "password:") {
		t.Fatalf("demo: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestEnvironmentFallback(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("COACHDESK_DB", db)
	if code, _, stderr := cli(t, "migrate"); code != 0 {
		t.Fatalf("migrate with COACHDESK_DB: code %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := cli(t, "user", "add", "--email", "env@coachdesk.test", "--name", "Env", "--password", "long-enough-password")
	if code != 0 || strings.Contains(stdout, "Password:") {
		t.Fatalf("user add with COACHDESK_DB: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(context.Background(), "env@coachdesk.test"); err != nil {
		t.Fatalf("the user did not land in COACHDESK_DB: %v", err)
	}
}

// syncBuffer is a bytes.Buffer the server goroutine and the test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeDemoAndStop(t *testing.T) {
	// Port 0: the kernel picks a free port as serve listens, and serve prints where it is.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "serve.db"), "--log-level", "warn"},
			strings.NewReader(""), &stdout, &stderr)
	}()

	// Wait until it says where it runs (or gives up), then check a page and stop it.
	running := regexp.MustCompile(`Coachdesk is running at (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d: %s", code, stderr.String())
		default:
		}
		if m := running.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not say where it runs: %q", stdout.String())
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
	if !strings.Contains(stdout.String(), "admin@coachdesk.test") {
		t.Fatalf("serve --demo did not print the logins: %q", stdout.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve after cancel: exit code %d, stderr %q", code, stderr.String())
	}
}

func TestServeRefusesBadTrustedProxies(t *testing.T) {
	code, _, stderr := cli(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "p.db"), "--trusted-proxies", "10.0.0.0/8,proxy.local")
	if code != 2 || !strings.Contains(stderr, `"proxy.local"`) {
		t.Fatalf("serve --trusted-proxies with a host name: code %d, stderr %q", code, stderr)
	}
}
