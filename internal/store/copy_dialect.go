package store

import (
	"context"
	"database/sql"
	"fmt"
)

// suspendAllTriggers turns the target's triggers off for a copy inside tx and returns the
// statements that turn them on again. PostgreSQL disables them per table (transactionally);
// SQLite has no switch, so each trigger's SQL is kept from sqlite_master and the trigger dropped.
func (d dialect) suspendAllTriggers(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var restore []string
	if d.pg {
		for _, table := range copyTables {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+table+" DISABLE TRIGGER USER"); err != nil {
				return nil, err
			}
			restore = append(restore, "ALTER TABLE "+table+" ENABLE TRIGGER USER")
		}
		return restore, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return nil, err
		}
		names, restore = append(names, name), append(restore, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+name); err != nil {
			return nil, err
		}
	}
	return restore, nil
}

// columns lists a table's stored columns (not the generated ones) and which of them are booleans.
func (d dialect) columns(ctx context.Context, tx *sql.Tx, table string) (cols []string, bools []bool, err error) {
	q := `SELECT name, false FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid`
	if d.pg {
		q = `SELECT column_name, data_type = 'boolean' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`
	}
	rows, err := tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var boolean bool
		if err := rows.Scan(&name, &boolean); err != nil {
			return nil, nil, err
		}
		cols, bools = append(cols, name), append(bools, boolean)
	}
	if len(cols) == 0 && rows.Err() == nil {
		return nil, nil, fmt.Errorf("no table %s in the target", table)
	}
	return cols, bools, rows.Err()
}

// resetIdentities moves PostgreSQL's id sequences past the ids a copy wrote, so the next row gets a
// new one; SQLite takes the largest id + 1 by itself.
func (d dialect) resetIdentities(ctx context.Context, tx *sql.Tx) error {
	if !d.pg {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	var tables, cols []string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return err
		}
		tables, cols = append(tables, t), append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, t := range tables {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), (SELECT COALESCE(MAX(%s), 0) + 1 FROM %s), false)`, t, cols[i], cols[i], t)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// buildAllSearchDocuments writes the search document of every ticket into an empty index.
func buildAllSearchDocuments(ctx context.Context, d dialect, tx *sql.Tx) (int, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM tickets`).Scan(&last); err != nil {
		return 0, err
	}
	done := 0
	for lo := int64(1); lo <= last; lo += searchBatch {
		n, err := writeDocs(ctx, d, tx, lo, min(lo+searchBatch-1, last), true)
		if err != nil {
			return done, err
		}
		done += n
	}
	return done, nil
}
