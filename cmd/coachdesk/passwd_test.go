package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"coachdesk/internal/auth"
	"coachdesk/internal/store"
)

func TestUserPasswdReadsStandardInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, _, stderr := cli(t, "user", "add", "--db", db, "--email", "ida@coachdesk.test", "--name", "Ida Agent", "--password", "the-old-password"); code != 0 {
		t.Fatalf("user add: code %d, stderr %q", code, stderr)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"user", "passwd", "--db", db, "--email", "ida@coachdesk.test"},
		strings.NewReader("the-new-password\n"), &out, &errOut)
	if code != 0 {
		t.Fatalf("user passwd: code %d, stderr %q", code, errOut.String())
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "ida@coachdesk.test")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(u.PasswordHash, "the-new-password") || auth.CheckPassword(u.PasswordHash, "the-old-password") {
		t.Fatal("the password read from standard input was not set")
	}
	if u.SessionEpoch == 0 {
		t.Error("setting a password must end the user's sessions")
	}
	// Never from the command line, and a short one is refused.
	if code, _, _ := cli(t, "user", "passwd", "--db", db, "--email", "ida@coachdesk.test", "--password", "the-third-password"); code != 2 {
		t.Errorf("--password on passwd: code %d, want 2", code)
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"user", "passwd", "--db", db, "--email", "ida@coachdesk.test"}, strings.NewReader("short\n"), &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "at least") {
		t.Errorf("short password: code %d, stderr %q", code, errOut.String())
	}
}
