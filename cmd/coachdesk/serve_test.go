package main

import (
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
