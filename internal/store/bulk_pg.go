package store

import "fmt"

// execPg runs a bulk insert on PostgreSQL, reading the new id from RETURNING where there is one.
func (b *Bulk) execPg(name string, args ...any) (int64, error) {
	var id int64
	var err error
	if bulkReturnsID[name] {
		err = b.stmts[name].QueryRowContext(b.ctx, args...).Scan(&id)
	} else {
		_, err = b.stmts[name].ExecContext(b.ctx, args...)
	}
	if err != nil {
		return 0, b.fail(fmt.Errorf("insert %s: %w", name, err))
	}
	return id, nil
}

// suspendPgTriggers disables the per-row triggers inside the load's transaction (ALTER TABLE is
// transactional on PostgreSQL); rebuildDerived runs what it returns to enable them again.
func (b *Bulk) suspendPgTriggers() ([]string, error) {
	var restore []string
	for _, name := range deferredTriggers {
		if _, err := b.tx.ExecContext(b.ctx, "ALTER TABLE tickets DISABLE TRIGGER "+name); err != nil {
			return nil, fmt.Errorf("store: bulk: disable trigger %s: %w", name, err)
		}
		restore = append(restore, "ALTER TABLE tickets ENABLE TRIGGER "+name)
	}
	return restore, nil
}
