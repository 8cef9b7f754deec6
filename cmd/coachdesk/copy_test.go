package main

import (
	"path/filepath"
	"strings"
	"testing"

	"coachdesk/internal/testkit/pgtest"
)

// coachdesk copy moves a helpdesk from SQLite to PostgreSQL and back, and refuses a target with data.
func TestCopyCommand(t *testing.T) {
	pg := pgtest.URL(t)
	dir := t.TempDir()
	src, back := filepath.Join(dir, "src.db"), filepath.Join(dir, "back.db")
	if code, _, stderr := cli(t, "user", "add", "--db", src, "--email", "anna@example.dk", "--name", "Anna", "--role", "admin", "--password", "long-enough-password"); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr)
	}
	code, stdout, stderr := cli(t, "copy", "--from", "sqlite:"+src, "--to", pg)
	if code != 0 || !strings.Contains(stdout, "every table's count matches") || strings.Contains(stdout, "coachdesk@") {
		t.Fatalf("copy to PostgreSQL: %d %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := cli(t, "copy", "--from", pg, "--to", "sqlite:"+back); code != 0 || !strings.Contains(stdout, "users                    1") {
		t.Fatalf("copy back: %d %q %q", code, stdout, stderr)
	}
	if code, _, stderr := cli(t, "copy", "--from", "sqlite:"+src, "--to", pg); code != 1 || !strings.Contains(stderr, "not empty") {
		t.Fatalf("copy into a helpdesk with data: %d %q", code, stderr)
	}
	if code, _, stderr := cli(t, "copy", "--from", src); code != 2 || !strings.Contains(stderr, "--to") {
		t.Fatalf("copy without --to: %d %q", code, stderr)
	}
}

// coachdesk migrate takes a PostgreSQL URL as it takes a SQLite file, and says which scheme it wants otherwise.
func TestMigrateTakesAPostgresURL(t *testing.T) {
	if code, _, stderr := cli(t, "migrate", "--db", pgtest.URL(t)); code != 0 {
		t.Fatalf("migrate on PostgreSQL: %d %q", code, stderr)
	}
	if code, _, stderr := cli(t, "migrate", "--db", "mysql://localhost/x"); code != 1 || !strings.Contains(stderr, "postgres://") {
		t.Fatalf("migrate on mysql://: %d %q", code, stderr)
	}
}
