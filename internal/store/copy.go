package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Copying a whole helpdesk from one database to another (SQLite to PostgreSQL or back): every
// table row for row, in an order that keeps the foreign keys whole, in one transaction on the
// target with its triggers off, so the counts and rollups arrive as the source has them instead of
// being counted again. The search documents are built afresh in the target's own format. After
// the commit every table's rows are counted on both sides.

// copyTables is every table of the schema, each after the tables it refers to.
var copyTables = []string{
	"users", "customers", "tickets", "ticket_numbers", "tags", "ticket_tags", "messages", "ticket_events",
	"ticket_counts", "saved_replies", "api_tokens", "sessions", "drafts", "reply_coaching", "coaching_findings",
	"password_resets", "finding_verdicts", "missed_findings", "coaching_comments", "finding_disputes", "review_log",
	"fixed_findings", "coaching_days", "coaching_day_rules", "coaching_week_rules", "coach_pack_versions",
	"coach_pack_drafts", "mailboxes", "mail_inbound", "mail_headers", "mail_outbox", "mail_confirmations",
	"mail_confirmation_texts", "mail_signatures", "attachments", "first_response_days", "first_response_weeks",
	"ticket_solves", "solve_days", "ticket_assignees", "handoff_days", "review_settings", "review_settings_log",
	"rate_limits", "signin_suspects",
}

// seededTables hold a row in a freshly migrated database; the copy replaces it with the source's.
var seededTables = map[string]bool{"ticket_numbers": true, "review_settings": true}

// TableCount is how many rows a table has on each side of a copy.
type TableCount struct {
	Table          string
	Source, Target int64
}

// CopyTo copies everything in s into target, which must hold no data yet (only what its migrations
// seed), and returns each table's rows on both sides once they agree.
func (s *Store) CopyTo(ctx context.Context, target *Store) ([]TableCount, error) {
	if err := target.requireEmpty(ctx); err != nil {
		return nil, err
	}
	src, _ := s.r.DB()
	dst, _ := target.w.DB()
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	defer tx.Rollback()
	restore, err := target.d.suspendAllTriggers(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("store: copy: suspend triggers: %w", err)
	}
	for _, table := range copyTables {
		if err := copyTable(ctx, src, tx, target.d, table); err != nil {
			return nil, fmt.Errorf("store: copy %s: %w", table, err)
		}
	}
	for _, q := range restore {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("store: copy: restore triggers: %w", err)
		}
	}
	if err := target.d.resetIdentities(ctx, tx); err != nil {
		return nil, fmt.Errorf("store: copy: identities: %w", err)
	}
	if _, err := buildAllSearchDocuments(ctx, target.d, tx); err != nil {
		return nil, fmt.Errorf("store: copy: search documents: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: copy: commit: %w", err)
	}
	return s.compareCounts(ctx, target)
}

// requireEmpty refuses a target that holds any data beyond what its migrations seed.
func (s *Store) requireEmpty(ctx context.Context) error {
	db, _ := s.r.DB()
	for _, table := range copyTables {
		if seededTables[table] {
			continue
		}
		var any int
		err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+table+" LIMIT 1) AS t").Scan(&any)
		if err != nil {
			return fmt.Errorf("store: copy: check the target's %s: %w", table, err)
		}
		if any > 0 {
			return fmt.Errorf("store: copy: the target is not empty (its %s table has rows): copy only into a new database", table)
		}
	}
	return nil
}

// copyTable moves one table's rows; the target's columns (without generated ones) say which.
func copyTable(ctx context.Context, src *sql.DB, tx *sql.Tx, d dialect, table string) error {
	cols, bools, err := d.columns(ctx, tx, table)
	if err != nil {
		return err
	}
	if seededTables[table] {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
	}
	rows, err := src.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table)
	if err != nil {
		return err
	}
	defer rows.Close()
	insert, err := tx.PrepareContext(ctx, d.rebind("INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES (?"+strings.Repeat(", ?", len(cols)-1)+")"))
	if err != nil {
		return err
	}
	defer insert.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i := range vals {
			vals[i] = copyValue(vals[i], bools[i])
		}
		if _, err := insert.ExecContext(ctx, vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// copyValue turns a value read from one database into what the other takes: SQLite's 0/1 flags
// into booleans where PostgreSQL's column is one.
func copyValue(v any, boolean bool) any {
	if n, ok := v.(int64); ok && boolean {
		return n != 0
	}
	return v
}

// compareCounts counts every table on both sides and fails unless each agrees.
func (s *Store) compareCounts(ctx context.Context, target *Store) ([]TableCount, error) {
	src, _ := s.r.DB()
	dst, _ := target.r.DB()
	var out []TableCount
	var wrong []string
	for _, table := range copyTables {
		c := TableCount{Table: table}
		if err := src.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&c.Source); err != nil {
			return out, fmt.Errorf("store: copy: count %s: %w", table, err)
		}
		if err := dst.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&c.Target); err != nil {
			return out, fmt.Errorf("store: copy: count %s: %w", table, err)
		}
		if c.Source != c.Target {
			wrong = append(wrong, fmt.Sprintf("%s: %d rows, copied %d", table, c.Source, c.Target))
		}
		out = append(out, c)
	}
	if len(wrong) > 0 {
		return out, fmt.Errorf("store: copy: the counts differ: %s", strings.Join(wrong, "; "))
	}
	return out, nil
}
