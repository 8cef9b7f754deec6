package pgtest

import (
	"database/sql"
	"testing"
)

// Each URL is its own empty database, writable by the test.
func TestURLIsAFreshDatabase(t *testing.T) {
	a, b := URL(t), URL(t)
	if a == b {
		t.Fatalf("two tests share %s", a)
	}
	db, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables int
	if err := db.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("fresh database has %d tables, %v", tables, err)
	}
	if _, err := db.Exec("CREATE TABLE t (id int)"); err != nil {
		t.Fatal(err)
	}
}
