package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"coachdesk/internal/store"
)

func TestTokenCreateListRevoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, _, stderr := cli(t, "user", "add", "--db", db, "--email", "gw@coachdesk.test", "--name", "Gateway", "--password", "long-enough-password"); code != 0 {
		t.Fatalf("user add: code %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := cli(t, "token", "create", "--db", db, "--email", "gw@coachdesk.test", "--name", "mail gateway", "--expires", "720h", "--integration")
	secret := strings.TrimSpace(stdout)
	if code != 0 || !strings.HasPrefix(secret, "cd_") {
		t.Fatalf("token create: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = cli(t, "token", "list", "--db", db, "--email", "gw@coachdesk.test")
	if code != 0 || !strings.Contains(stdout, "mail gateway") || !strings.Contains(stdout, "gw@coachdesk.test") || !strings.Contains(stdout, "true") || strings.Contains(stdout, secret) {
		t.Fatalf("token list: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := st.Authenticate(context.Background(), secret)
	st.Close()
	if err != nil || !tok.Integration || tok.ExpiresAt == nil || tok.Name != "mail gateway" {
		t.Fatalf("created token: %+v, %v", tok, err)
	}
	if code, _, stderr := cli(t, "token", "revoke", "1", "--db", db); code != 0 {
		t.Fatalf("token revoke: code %d, stderr %q", code, stderr)
	}
	st, err = store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, _, err := st.Authenticate(context.Background(), secret); err == nil {
		t.Fatal("a revoked token still authenticates")
	}
	if code, _, _ := cli(t, "token", "revoke", "1", "--db", db); code != 1 {
		t.Errorf("revoking it again: code %d, want 1", code)
	}
}
