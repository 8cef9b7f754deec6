package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRefusesAnUnknownSyncSetting(t *testing.T) {
	code, _, stderr := cli(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "s.db"), "--sync", "sometimes")
	if code != 2 || !strings.Contains(stderr, "--sync") || !strings.Contains(stderr, "full or normal") {
		t.Fatalf("serve --sync sometimes: code %d, stderr %q", code, stderr)
	}
	t.Setenv("COACHDESK_SYNC", "off")
	code, _, stderr = cli(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "s.db"))
	if code != 2 || !strings.Contains(stderr, "--sync") {
		t.Fatalf("COACHDESK_SYNC=off: code %d, stderr %q", code, stderr)
	}
}

// The SMTP listener's certificate and key go together, and a file that is not one is named.
func TestServeRefusesAHalfOrBrokenSMTPCertificate(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := cli(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "s.db"), "--smtp-tls-cert", filepath.Join(dir, "c.pem"))
	if code != 2 || !strings.Contains(stderr, "go together") {
		t.Fatalf("a certificate without a key: code %d, stderr %q", code, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.pem"), []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = cli(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "s.db"), "--smtp-tls-cert", filepath.Join(dir, "c.pem"), "--smtp-tls-key", filepath.Join(dir, "c.pem"))
	if code != 2 || !strings.Contains(stderr, "--smtp-tls-cert") {
		t.Fatalf("a broken certificate: code %d, stderr %q", code, stderr)
	}
}
