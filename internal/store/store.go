// Package store keeps the helpdesk in a database: gorm rows to desk types and back, queries,
// transactions and full-text search. It is the one place that knows SQLite from PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"coachdesk/migrations"
)

// Store holds two pools on one SQLite file: a single writer connection, so writers queue in Go
// instead of failing with "database is locked", and a pool of readers that WAL lets run beside it.
type Store struct {
	w   *gorm.DB
	r   *gorm.DB
	now func() time.Time
}

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if strings.Contains(path, "://") && !strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("store: %q: only SQLite paths are supported so far", path)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", path, err)
	}
	s := &Store{now: func() time.Time { return time.Now().UTC() }}
	var err error
	if s.w, err = openPool(path, 1); err != nil {
		return nil, err
	}
	if s.r, err = openPool(path, 8); err != nil {
		s.closePools()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.closePools()
		return nil, err
	}
	return s, nil
}

// dsn sets every connection's pragmas in the URL, so pooled connections cannot miss one.
func dsn(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-20000")
	path = strings.TrimPrefix(path, "file:")
	return "file:" + path + "?" + q.Encode()
}

func openPool(path string, conns int) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open(dsn(path)), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
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

// Migrate applies every pending migration embedded in the binary.
func (s *Store) Migrate(ctx context.Context) error {
	sqlDB, _ := s.w.DB()
	dir, err := fs.Sub(migrations.FS, "sqlite")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, sqlDB, dir)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range results {
		slog.Info("migrated", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}

// SessionDB is the connection pool the session store keeps its table in.
func (s *Store) SessionDB() *sql.DB {
	db, _ := s.r.DB()
	return db
}

func (s *Store) Close() error { return s.closePools() }

func (s *Store) closePools() error {
	var errs []error
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

func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(fn)
}

func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmtDeskNotFound(format, args...)
	}
	return err
}
