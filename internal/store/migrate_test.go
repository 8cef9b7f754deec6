package store

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"coachdesk/migrations"
)

// A SQLite file migrated by a newer coachdesk is refused, naming both versions.
func TestSQLiteRefusesANewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.w.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, 1)`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "version 99") || !strings.Contains(err.Error(), fmt.Sprintf("(%d)", newestMigration(t, "sqlite"))) {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

// A URL of another database is refused, naming the two that work.
func TestUnknownURLNamesBothDatabases(t *testing.T) {
	_, err := Open(context.Background(), "mysql://root:secret@localhost/coachdesk")
	if err == nil || !strings.Contains(err.Error(), "SQLite") || !strings.Contains(err.Error(), "postgres://") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("a mysql:// URL: %v", err)
	}
}

// newestMigration is the highest version among the embedded migrations of one database.
func newestMigration(t *testing.T, dir string) int {
	t.Helper()
	files, err := fs.ReadDir(migrations.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	newest := 0
	for _, f := range files {
		if n, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0]); err == nil {
			newest = max(newest, n)
		}
	}
	return newest
}
