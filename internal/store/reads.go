package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// readStmts are the statements every page runs (its session, its user, the view counts), prepared
// once on the reader pool and read with database/sql: at a page's size, gorm's statement building
// and reflection cost more than SQLite's work. database/sql prepares each again on a connection
// that has not seen it, and keeps it there.
type readStmts struct {
	session *sql.Stmt
	user    *sql.Stmt
	agents  *sql.Stmt
	tags    *sql.Stmt
	counts  *sql.Stmt
}

const userColumns = `id, name, email, role, password_hash, active, locale, created_at, session_epoch`

func prepareReads(ctx context.Context, d dialect, db *sql.DB) (*readStmts, error) {
	var r readStmts
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&r.session, `SELECT data, expiry FROM sessions WHERE token = ? AND ` + d.julianNow() + ` < expiry`},
		{&r.user, `SELECT ` + userColumns + ` FROM users WHERE id = ?`},
		{&r.agents, `SELECT ` + userColumns + ` FROM users WHERE active ORDER BY name`},
		{&r.tags, `SELECT name FROM tags ORDER BY name LIMIT 500`},
		// The count table has a row per status and assignee; the page needs them summed by status,
		// unassigned and mine, which is a handful of rows instead of one per agent.
		{&r.counts, `SELECT status, assignee_id = 0, assignee_id = ?, SUM(n) FROM ticket_counts GROUP BY 1, 2, 3`},
	} {
		stmt, err := db.PrepareContext(ctx, d.rebind(p.sql))
		if err != nil {
			r.close()
			return nil, fmt.Errorf("store: prepare %q: %w", p.sql, err)
		}
		*p.stmt = stmt
	}
	return &r, nil
}

func (r *readStmts) close() error {
	if r == nil {
		return nil
	}
	var errs []error
	for _, st := range []*sql.Stmt{r.session, r.user, r.agents, r.tags, r.counts} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

func scanUser(row interface{ Scan(...any) error }) (userRow, error) {
	var u userRow
	err := row.Scan(&u.ID, &u.Name, &u.Email, &u.Role, &u.PasswordHash, &u.Active, &u.Locale, &u.CreatedAt, &u.SessionEpoch)
	return u, err
}
