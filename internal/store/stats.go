package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"
)

// What operations read of the store: the writer queue, the connection pools and the schema version.

// waitHook is told how long each write waited in the queue before the writer started it.
type waitHook struct {
	fn atomic.Pointer[func(time.Duration)]
}

func (h *waitHook) observe(queued time.Time) {
	if fn := h.fn.Load(); fn != nil {
		(*fn)(time.Since(queued))
	}
}

// WriteQueueDepth is how many writes are admitted and not yet answered: waiting or in the running batch.
func (s *Store) WriteQueueDepth() int64 { return s.wq.waiting.Load() }

// WriteCommits is how many transactions the writer has committed since the store opened.
func (s *Store) WriteCommits() int64 { return s.wq.commits.Load() }

// OnWriteWait has fn told, for every write the writer starts, how long it waited in the queue.
// fn runs on the writer's goroutine, so it must be quick (a histogram's Observe).
func (s *Store) OnWriteWait(fn func(time.Duration)) { s.wq.wait.fn.Store(&fn) }

// Pools are the store's connection pools by name, for their database/sql statistics.
func (s *Store) Pools() map[string]*sql.DB {
	pools := map[string]*sql.DB{}
	if db, err := s.w.DB(); err == nil {
		pools["writer"] = db
	}
	if db, err := s.r.DB(); err == nil {
		pools["reader"] = db
	}
	return pools
}

// SchemaVersions are the migration version the database has and the newest this binary embeds;
// they differ when another instance's binary migrated further, or a migration was undone by hand.
func (s *Store) SchemaVersions(ctx context.Context) (applied, embedded int64, err error) {
	// On the readers: the version read must not queue behind writes, nor take the writer's connection.
	p, err := s.migrations(s.SessionDB())
	if err != nil {
		return 0, 0, fmt.Errorf("store: migrations: %w", err)
	}
	applied, embedded, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: schema version: %w", err)
	}
	return applied, embedded, nil
}
