package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

var errProbeDone = errors.New("store: probe written and undone")

// Ready reports whether the database takes a write now: it writes a new table and a page of data
// through the writer queue and undoes both, so a full disk, a read-only file, a lock held elsewhere
// or a full queue each answer an *Unavailable error. Nothing is left behind.
func (s *Store) Ready(ctx context.Context) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(`CREATE TABLE coachdesk_ready_probe (x BLOB)`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO coachdesk_ready_probe VALUES (zeroblob(8192))`).Error; err != nil {
			return err
		}
		return errProbeDone
	})
	if errors.Is(err, errProbeDone) {
		s.faults.clear()
		return nil
	}
	return err
}

// reopenWriter closes the writer's idle connection, so the next write opens the file afresh: SQLite
// opens a file it cannot write read-only and keeps it that way until the connection is closed.
func (s *Store) reopenWriter() {
	if db, err := s.w.DB(); err == nil {
		db.SetMaxIdleConns(0)
		db.SetMaxIdleConns(1)
	}
}

// OnWriter runs a statement on the writer connection outside any transaction, between batches. It is
// for fault drills and their tests: "PRAGMA max_page_count = N" makes the database full,
// "PRAGMA query_only = 1" read-only (until the writer connection is reopened).
func (s *Store) OnWriter(ctx context.Context, statement string) error {
	return s.w.WithContext(ctx).Exec(statement).Error
}
