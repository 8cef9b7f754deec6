// Package dblock holds an SQLite file's write lock from another connection, as another process
// would, for tests of what the app does while it cannot write.
package dblock

import (
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the driver the store uses
)

// Hold takes the write lock on the database at path and returns the function that lets it go (also
// called when the test ends).
func Hold(t testing.TB, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE users SET name = name WHERE 0`); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			tx.Rollback()
			db.Close()
		}
	}
	t.Cleanup(release)
	return release
}
