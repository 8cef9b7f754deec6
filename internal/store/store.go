// Package store keeps the helpdesk in a database: gorm rows to desk types and back, queries,
// transactions and full-text search. It is the one place that knows SQLite from PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store holds two pools on one database: a single writer connection, so writers queue in Go
// instead of failing with "database is locked" (on PostgreSQL see openPostgres), and a pool of
// readers that SQLite's WAL (or PostgreSQL's MVCC) lets run beside it.
type Store struct {
	d      dialect
	w      *gorm.DB
	r      *gorm.DB
	wq     *writer    // every write goes through it, onto w
	reads  *readStmts // the per-page reads, prepared on r
	faults *faultLog
	now    func() time.Time
}

// Options tune how the store uses the database; the zero value is the safe default. Sync and
// BusyTimeout are SQLite's; the queue bounds apply to both databases.
type Options struct {
	// Sync is SQLite's synchronous setting: "full" (the default: a committed write survives a power
	// cut) or "normal" (it survives a crashed process, but a power cut may take the last commits).
	Sync string
	// BusyTimeout is how long a write waits for a lock another process holds (default 10 s).
	BusyTimeout time.Duration
	// MaxQueue is how many writes may wait for the writer; more are refused at once (default 1000).
	MaxQueue int
	// MaxBatch is how many waiting writes share one transaction (default 256).
	MaxBatch int
}

// ParseSync checks a --sync value: full or normal, any case.
func ParseSync(v string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "", "FULL":
		return "FULL", nil
	case "NORMAL":
		return "NORMAL", nil
	}
	return "", fmt.Errorf("unknown synchronous setting %q: use full or normal", v)
}

func (o Options) withDefaults() (Options, error) {
	var err error
	if o.Sync, err = ParseSync(o.Sync); err != nil {
		return o, err
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if o.MaxQueue <= 0 {
		o.MaxQueue = 1000
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	return o, nil
}

// Open opens (creating if needed) the database at path with the default options and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) { return OpenWith(ctx, path, Options{}) }

// OpenWith opens (creating if needed) the database at path and applies pending migrations.
func OpenWith(ctx context.Context, path string, opts Options) (*Store, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{now: func() time.Time { return time.Now().UTC() }, faults: newFaultLog()}
	switch {
	case isPostgresURL(path):
		s.d = postgresDialect
		if err := s.openPostgres(path); err != nil {
			return nil, err
		}
	case strings.Contains(path, "://") && !strings.HasPrefix(path, "file:"):
		return nil, fmt.Errorf("store: %q: use a SQLite file path or a postgres:// (postgresql://) URL", redactURL(path))
	default:
		if err := createPrivate(path); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", path, err)
		}
		if s.w, err = openPool(sqlite.Open(dsn(path, opts)), path, 1, false); err != nil {
			return nil, err
		}
		if s.r, err = openPool(sqlite.Open(dsn(path, opts)), path, 8, true); err != nil {
			s.closePools()
			return nil, err
		}
	}
	if err := s.Migrate(ctx); err != nil {
		s.closePools()
		return nil, err
	}
	if s.reads, err = prepareReads(ctx, s.d, s.SessionDB()); err != nil {
		s.closePools()
		return nil, err
	}
	s.wq = newWriter(s.w, opts.MaxQueue, opts.MaxBatch, s.faults, s.reopenWriter)
	return s, nil
}

// dsn sets every connection's pragmas in the URL, so pooled connections cannot miss one.
func dsn(path string, opts Options) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", strconv.FormatInt(opts.BusyTimeout.Milliseconds(), 10))
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", opts.Sync)
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-20000")
	path = strings.TrimPrefix(path, "file:")
	return "file:" + path + "?" + q.Encode()
}

// openPool opens one pool of conns connections; path names the database in errors.
func openPool(dialector gorm.Dialector, path string, conns int, prepare bool) (*gorm.DB, error) {
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		// Pages run the same few reads: parse each once per connection, not per call. Not on the
		// writer: database/sql prepares a statement again in every transaction anyway.
		PrepareStmt:        prepare,
		PrepareStmtMaxSize: 512,
	})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	sqlDB.SetConnMaxIdleTime(0)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// SessionDB is the connection pool the session store keeps its table in.
func (s *Store) SessionDB() *sql.DB {
	db, _ := s.r.DB()
	return db
}

// Close finishes the writes in flight, refuses new ones and closes the database.
func (s *Store) Close() error {
	if s.wq != nil {
		s.wq.close()
	}
	return s.closePools()
}

func (s *Store) closePools() error {
	errs := []error{s.reads.close()}
	s.reads = nil
	for _, db := range []*gorm.DB{s.w, s.r} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// SetClock lets tests pin the time.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmtDeskNotFound(format, args...)
	}
	return err
}
