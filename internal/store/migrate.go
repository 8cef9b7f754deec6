package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"coachdesk/migrations"
)

// Migrate applies every pending migration embedded in the binary, after checking that the database
// is not at a version newer than this binary knows (a newer coachdesk migrated it: running an older
// one against that schema would write what the newer one does not expect).
func (s *Store) Migrate(ctx context.Context) error {
	sqlDB, _ := s.w.DB()
	p, err := s.migrations(sqlDB)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if err := checkSchemaVersion(ctx, p); err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migrated", "dialect", s.d.name(), "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}

// migrations is goose's provider for the store's dialect. On PostgreSQL it holds an advisory lock
// for the whole run, so instances starting at once against a fresh database migrate one after the
// other: the second finds nothing left to do. SQLite's immediate write transactions do the same.
func (s *Store) migrations(db *sql.DB) (*goose.Provider, error) {
	if !s.d.pg {
		dir, err := fs.Sub(migrations.FS, "sqlite")
		if err != nil {
			return nil, err
		}
		return goose.NewProvider(goose.DialectSQLite3, db, dir)
	}
	dir, err := fs.Sub(migrations.FS, "postgres")
	if err != nil {
		return nil, err
	}
	// Polled every second for up to ten minutes: a first start builds the whole schema, a later one
	// may build a search document for a million tickets.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 600))
	if err != nil {
		return nil, err
	}
	// The Go migrations registered globally (00008's search document) are SQLite's; PostgreSQL's
	// schema is all SQL.
	return goose.NewProvider(goose.DialectPostgres, db, dir, goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
}

// checkSchemaVersion refuses a database whose schema is newer than the newest migration embedded.
func checkSchemaVersion(ctx context.Context, p *goose.Provider) error {
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("store: read the schema version: %w", err)
	}
	sources := p.ListSources()
	if len(sources) == 0 {
		return nil
	}
	if known := sources[len(sources)-1].Version; current > known {
		return fmt.Errorf("store: the database's schema is at version %d, newer than this coachdesk knows (%d): "+
			"a newer coachdesk has migrated it, so run that version (or newer) against this database", current, known)
	}
	return nil
}
