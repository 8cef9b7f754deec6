package store

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"coachdesk/internal/testkit/pgtest"
)

// Both schemas have the same tables with the same columns and the same indexes (by name): a
// migration added to one directory and not the other fails here. The search index is each
// database's own.
func TestSchemasMatch(t *testing.T) {
	ctx := context.Background()
	pg, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	lite, err := Open(ctx, filepath.Join(t.TempDir(), "schema.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	var liteCols, pgCols, liteIdx, pgIdx []string
	lite.r.Raw(`SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_xinfo(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'ticket_search%' AND m.name <> 'goose_db_version'`).Scan(&liteCols)
	pg.r.Raw(`SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name NOT LIKE 'ticket_search%' AND table_name <> 'goose_db_version'`).Scan(&pgCols)
	lite.r.Raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).Scan(&liteIdx)
	pg.r.Raw(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'
		AND indexname NOT LIKE '%_key' AND indexname NOT LIKE 'ticket_search%'`).Scan(&pgIdx)
	if missing := diff(liteCols, pgCols); len(missing) > 0 {
		t.Errorf("columns SQLite has and PostgreSQL has not: %v", missing)
	}
	if missing := diff(pgCols, liteCols); len(missing) > 0 {
		t.Errorf("columns PostgreSQL has and SQLite has not: %v", missing)
	}
	if missing := diff(liteIdx, pgIdx); len(missing) > 0 {
		t.Errorf("indexes SQLite has and PostgreSQL has not: %v", missing)
	}
	if missing := diff(pgIdx, liteIdx); len(missing) > 0 {
		t.Errorf("indexes PostgreSQL has and SQLite has not: %v", missing)
	}
	if len(liteCols) < 100 || len(liteIdx) < 40 {
		t.Fatalf("read %d columns and %d indexes: the query reads too little", len(liteCols), len(liteIdx))
	}
}

// diff lists what a has and b has not.
func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) && !strings.HasPrefix(x, "sqlite_") {
			out = append(out, x)
		}
	}
	return out
}
