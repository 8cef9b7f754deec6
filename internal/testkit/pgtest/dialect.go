package pgtest

import (
	"os"
	"testing"
)

// DialectEnv set to "postgres" runs the store and handler tests on PostgreSQL (a fresh database
// each, from URL) instead of SQLite.
const DialectEnv = "COACHDESK_TEST_DIALECT"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(DialectEnv) == "postgres" }

// DB is what a test opens its store on: a fresh PostgreSQL database when the tests run on
// PostgreSQL, else the SQLite file at path.
func DB(t testing.TB, path string) string {
	t.Helper()
	if Postgres() {
		return URL(t)
	}
	return path
}

// SQLiteOnly skips a test that is about SQLite itself (its query plans, its files, FTS5) when the
// tests run on PostgreSQL, saying why.
func SQLiteOnly(t testing.TB, why string) {
	t.Helper()
	if Postgres() {
		t.Skipf("SQLite only: %s", why)
	}
}
