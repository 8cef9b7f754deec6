package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestMailboxAddListRemove(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	t.Setenv("COACHDESK_SECRET_KEY", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"mailbox", "add", "--db", db, "--address", "support@butik.dk", "--imap-host", "imap.example.com",
		"--imap-user", "support@butik.dk", "--imap-password-stdin", "--smtp-host", "smtp.example.com", "--smtp-user", "support@butik.dk", "--smtp-password-stdin"},
		strings.NewReader("imap-secret\nsmtp-secret\n"), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "support@butik.dk saved") {
		t.Fatalf("add: code %d, %q %q", code, out.String(), errOut.String())
	}
	code, stdout, stderr := cli(t, "mailbox", "list", "--db", db)
	if code != 0 || !strings.Contains(stdout, "imap support@butik.dk@imap.example.com:993 tls (password stored)") || !strings.Contains(stdout, "smtp smtp.example.com:587 starttls (password stored)") || strings.Contains(stdout, "secret") {
		t.Fatalf("list: code %d, %q %q", code, stdout, stderr)
	}
	t.Setenv("COACHDESK_SECRET_KEY", "")
	if code, _, stderr := cli(t, "mailbox", "add", "--db", db, "--address", "other@butik.dk", "--smtp-host", "x", "--smtp-password-stdin"); code != 2 || !strings.Contains(stderr, "no SMTP password") {
		t.Errorf("a missing password: code %d, %q", code, stderr)
	}
	if code, _, stderr := cli(t, "mailbox", "remove", "1", "--db", db); code != 0 {
		t.Fatalf("remove: %d %q", code, stderr)
	}
	if _, stdout, _ := cli(t, "mailbox", "list", "--db", db); strings.Contains(stdout, "support@butik.dk") {
		t.Error("the mailbox is still listed")
	}
}
