package store

import (
	"net/url"
	"strings"

	"gorm.io/driver/postgres"
)

// IsPostgres reports whether a --db value names a PostgreSQL server rather than a SQLite file.
func IsPostgres(db string) bool { return isPostgresURL(db) }

func isPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// redactURL hides a URL's password in messages.
func redactURL(db string) string {
	if u, err := url.Parse(db); err == nil {
		return u.Redacted()
	}
	return db
}

// openPostgres opens the two pools on a PostgreSQL server (pgx underneath). Writes keep going
// through the one writer connection and its queue, as on SQLite: every write still batches into
// shared commits, keeps its savepoint and its queue bound, and behaves the same on both databases;
// instances sharing the server each have their own writer, and PostgreSQL's row locks order them.
// Reads get a pool as on SQLite.
func (s *Store) openPostgres(db string) error {
	var err error
	name := redactURL(db)
	// Every session keeps times in UTC, so the day a rollup trigger files a reply under never depends
	// on the server's own time zone.
	dsn := withRuntimeParam(db, "timezone", "UTC")
	if s.w, err = openPool(postgres.New(postgres.Config{DSN: dsn}), name, 1, false); err != nil {
		return err
	}
	if s.r, err = openPool(postgres.New(postgres.Config{DSN: dsn}), name, 8, true); err != nil {
		s.closePools()
		return err
	}
	return nil
}

// withRuntimeParam adds a connection parameter to a postgres URL unless it names one already.
func withRuntimeParam(db, key, value string) string {
	u, err := url.Parse(db)
	if err != nil {
		return db
	}
	q := u.Query()
	if q.Get(key) == "" {
		q.Set(key, value)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Redact is a --db value fit for a log line: a PostgreSQL URL without its password.
func Redact(db string) string {
	if isPostgresURL(db) {
		return redactURL(db)
	}
	return db
}
