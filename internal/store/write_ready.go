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
		for _, q := range s.readyProbe() {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return errProbeDone
	})
	if errors.Is(err, errProbeDone) {
		s.faults.clear()
		return nil
	}
	return err
}

// readyProbe is the write Ready makes and undoes. On PostgreSQL the table is a temporary one, so
// instances probing at once do not queue on one table name; a server that cannot write refuses it too.
func (s *Store) readyProbe() []string {
	if s.d.pg {
		return []string{`CREATE TEMPORARY TABLE coachdesk_ready_probe (x bytea) ON COMMIT DROP`,
			`INSERT INTO coachdesk_ready_probe VALUES (decode(repeat('00', 8192), 'hex'))`}
	}
	return []string{`CREATE TABLE coachdesk_ready_probe (x BLOB)`, `INSERT INTO coachdesk_ready_probe VALUES (zeroblob(8192))`}
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
