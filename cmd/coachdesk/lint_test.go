package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The binary's lint subcommand is the coach's CLI: exit 1 on an error-level finding, JSON per input.
func TestLintSubcommand(t *testing.T) {
	var out, errOut bytes.Buffer
	reply := "Hej Jens.\nMen du har tastet adressen forkert.\nMvh Mikkel"
	code := run(context.Background(), []string{"lint", "--format", "json", "--lang", "da"}, strings.NewReader(reply), &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (error-level findings); stderr: %s", code, errOut.String())
	}
	for _, rule := range []string{`"rule":"no-but"`, `"rule":"blame"`, `"lang":"da"`} {
		if !strings.Contains(out.String(), rule) {
			t.Errorf("output lacks %s: %s", rule, out.String())
		}
	}
	code = run(context.Background(), []string{"lint", "--format", "yaml"}, strings.NewReader(reply), &out, &errOut)
	if code != 2 {
		t.Errorf("bad --format: exit %d, want 2", code)
	}
}
