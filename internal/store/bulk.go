package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"coachdesk/internal/desk"
)

// Bulk loading: generated data at scale (benchmarks, demos with a million tickets).
//
// Rows go in through the store's single writer connection, in batched transactions with prepared
// statements. Two ways keep the derived tables (ticket_counts, the search document) right:
//
//   - BulkTriggers (the default): the schema's triggers fire per row, and each ticket's search
//     document is written with it, exactly as for CreateTicket. Each batch commits on its own, so readers see consistent data after every batch and other
//     writers get the connection between batches.
//   - BulkDeferred: one transaction drops the count trigger, inserts every row, then rebuilds
//     ticket_counts with one GROUP BY and writes the search documents of the new tickets in id
//     ranges (as migration 00008 does), and re-creates the trigger from the SQL saved out of sqlite_master. Nothing outside the
//     transaction ever sees the database without its triggers; a failure rolls all of it back.
//
// Either way, after the load the counts and search are exactly what per-row inserts would give.
// On PostgreSQL the rows are buffered and written by COPY, a few thousand tickets at a time (bulk_pg.go).

// BulkMode chooses how derived tables are kept during a bulk load.
type BulkMode int

const (
	BulkTriggers BulkMode = iota
	BulkDeferred
)

// BulkOptions tune a bulk load; the zero value is usable.
type BulkOptions struct {
	Mode      BulkMode
	BatchSize int  // tickets per transaction in BulkTriggers mode; default 20,000
	Optimize  bool // merge the FTS segments and ANALYZE once the load is done
}

// BulkCustomer is a generated customer.
type BulkCustomer struct {
	Name, Email, Organisation, Notes string
	CreatedAt                        time.Time
}

// BulkMessage is one message of a generated ticket; AuthorUserID 0 means the customer wrote it.
type BulkMessage struct {
	AuthorUserID int64
	Kind         desk.MessageKind
	HTML         bool
	Body         string
	CreatedAt    time.Time
}

// BulkEvent is one audit-trail line of a generated ticket.
type BulkEvent struct {
	ActorUserID               int64
	Field, OldValue, NewValue string
	CreatedAt                 time.Time
}

// BulkTicket is a generated ticket with its whole history. Number 0 takes the next free number.
type BulkTicket struct {
	Number          int64
	Subject         string
	Status          desk.Status
	Priority        desk.Priority
	AssigneeID      int64
	CustomerID      int64
	Channel         desk.Channel
	Language        string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt *time.Time
	SolvedAt        *time.Time
	Tags            []string
	Messages        []BulkMessage
	Events          []BulkEvent
}

// BulkStats reports what a bulk load wrote.
type BulkStats struct {
	Customers, Tickets, Messages, Events, Tags int64
}

// Bulk is the handle a bulk load's producer adds rows through. It is not safe for concurrent use.
type Bulk struct {
	ctx     context.Context
	d       dialect
	db      *sql.DB
	opts    BulkOptions
	tx      *sql.Tx
	stmts   map[string]*sql.Stmt
	pending int
	next    int64
	tags    map[string]int64
	stats   BulkStats
	firstID int64   // the first ticket this load added (BulkDeferred writes documents from there on)
	dirty   []int64 // tickets of this batch whose search document is still to write (BulkTriggers)
	pg      *pgLoad // PostgreSQL: the rows waiting for their COPY (bulk_pg.go)
}

var bulkSQL = map[string]string{
	"customer": `INSERT INTO customers (name, email, organisation, notes, created_at) VALUES (?, ?, ?, ?, ?)`,
	"ticket": `INSERT INTO tickets (number, subject, status, priority, priority_rank, assignee_id, customer_id, channel, language,
		created_at, updated_at, first_response_at, solved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"message": `INSERT INTO messages (ticket_id, author_user_id, author_customer_id, kind, format, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"event":   `INSERT INTO ticket_events (ticket_id, actor_user_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
	"tag":     `INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id`,
	"tagged":  `INSERT INTO ticket_tags (ticket_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
}

// bulkReturnsID are the inserts whose new id the load needs; on PostgreSQL these rows get their id
// ahead from the table's sequence (COPY returns none).
var bulkReturnsID = map[string]bool{"customer": true, "ticket": true, "message": true}

// bulkStatement is a bulk statement in the dialect's terms (on PostgreSQL only "tag" is prepared).
func bulkStatement(d dialect, name, q string) string {
	if !d.pg {
		return q
	}
	if name == "tag" {
		q = strings.Replace(q, "SET name = name", "SET name = tags.name", 1)
	}
	return d.rebind(q)
}

// The triggers BulkDeferred suspends: the per-row inserts into the count table.
var deferredTriggers = []string{"tickets_count_insert"}

// BulkLoad runs produce, which adds customers and tickets through the handle, and commits what it
// added. If produce or a write fails, the batch in flight is rolled back (in BulkDeferred mode: all).
func (s *Store) BulkLoad(ctx context.Context, opts BulkOptions, produce func(b *Bulk) error) (BulkStats, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 20000
	}
	db, err := s.w.DB()
	if err != nil {
		return BulkStats{}, err
	}
	b := &Bulk{ctx: ctx, d: s.d, db: db, opts: opts, tags: map[string]int64{}}
	if s.d.pg {
		conn, err := db.Conn(ctx)
		if err != nil {
			return BulkStats{}, fmt.Errorf("store: bulk: %w", err)
		}
		defer conn.Close()
		b.pg = newPgLoad(conn)
	}
	if err := b.begin(); err != nil {
		return b.stats, err
	}
	var saved []string
	if opts.Mode == BulkDeferred {
		if saved, err = b.suspendTriggers(); err != nil {
			b.rollback()
			return b.stats, err
		}
	}
	if err := produce(b); err != nil {
		b.rollback()
		return b.stats, err
	}
	if err := b.flushPg(); err != nil {
		return b.stats, err
	}
	if opts.Mode == BulkDeferred {
		if err := b.rebuildDerived(saved); err != nil {
			b.rollback()
			return b.stats, err
		}
	}
	if err := b.commit(); err != nil {
		return b.stats, err
	}
	if opts.Optimize {
		optimize := []string{`INSERT INTO ticket_search (ticket_search) VALUES ('optimize')`, `ANALYZE`, `PRAGMA wal_checkpoint(TRUNCATE)`}
		if s.d.pg {
			// VACUUM also marks the new pages all-visible, which index-only scans need.
			optimize = []string{`VACUUM (ANALYZE)`}
		}
		var c conn = db
		if b.pg != nil {
			c = b.pg.conn // the writer pool's one connection is still the load's
		}
		for _, q := range optimize {
			if _, err := c.ExecContext(ctx, q); err != nil {
				return b.stats, fmt.Errorf("store: bulk: %s: %w", q, err)
			}
		}
	}
	return b.stats, nil
}

func (b *Bulk) begin() error {
	var tx *sql.Tx
	var err error
	if b.pg != nil {
		tx, err = b.pg.conn.BeginTx(b.ctx, nil)
	} else {
		tx, err = b.db.BeginTx(b.ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("store: bulk: begin: %w", err)
	}
	b.tx = tx
	// A bigger page cache while loading keeps the indexes' hot pages in memory; restored at commit.
	if err := b.pragma("PRAGMA cache_size = -400000"); err != nil {
		return b.fail(err)
	}
	if b.next == 0 {
		if err := tx.QueryRowContext(b.ctx, "SELECT COALESCE(MAX(number), 1000) + 1 FROM tickets").Scan(&b.next); err != nil {
			return b.fail(err)
		}
	}
	b.stmts = make(map[string]*sql.Stmt, len(bulkSQL))
	for name, q := range bulkSQL {
		if b.pg != nil && b.pg.byName[name] != nil {
			continue // copied, not inserted
		}
		st, err := tx.PrepareContext(b.ctx, bulkStatement(b.d, name, q))
		if err != nil {
			return b.fail(err)
		}
		b.stmts[name] = st
	}
	return nil
}

// pragma sets a SQLite pragma for the load; PostgreSQL has none to set.
func (b *Bulk) pragma(q string) error {
	if b.d.pg {
		return nil
	}
	_, err := b.tx.ExecContext(b.ctx, q)
	return err
}

func (b *Bulk) fail(err error) error {
	b.rollback()
	return fmt.Errorf("store: bulk: %w", err)
}

func (b *Bulk) rollback() {
	if b.tx != nil {
		b.pragma("PRAGMA cache_size = -20000")
		b.tx.Rollback()
		b.tx = nil
	}
	b.dropPgBuffers()
}

func (b *Bulk) commit() error {
	if b.tx == nil {
		return nil
	}
	if err := b.flushPg(); err != nil {
		return err
	}
	if err := b.writeDirtyDocs(); err != nil {
		return b.fail(err)
	}
	if err := b.pragma("PRAGMA cache_size = -20000"); err != nil {
		return b.fail(err)
	}
	err := b.tx.Commit()
	b.tx = nil
	b.pending = 0
	if err != nil {
		return fmt.Errorf("store: bulk: commit: %w", err)
	}
	return nil
}

// flushIfFull commits a full batch and starts the next one (BulkTriggers mode only).
func (b *Bulk) flushIfFull() error {
	if b.opts.Mode != BulkTriggers || b.pending < b.opts.BatchSize {
		return nil
	}
	if err := b.commit(); err != nil {
		return err
	}
	return b.begin()
}

func (b *Bulk) exec(name string, args ...any) (int64, error) {
	if b.tx == nil {
		return 0, fmt.Errorf("store: bulk: the load has ended")
	}
	if b.d.pg {
		return b.execPg(name, args...)
	}
	res, err := b.stmts[name].ExecContext(b.ctx, args...)
	if err != nil {
		return 0, b.fail(fmt.Errorf("insert %s: %w", name, err))
	}
	return res.LastInsertId()
}

// AddCustomer inserts a customer and returns its id.
func (b *Bulk) AddCustomer(c BulkCustomer) (int64, error) {
	id, err := b.exec("customer", c.Name, c.Email, c.Organisation, c.Notes, c.CreatedAt.UTC())
	if err == nil {
		b.stats.Customers++
	}
	return id, err
}

// AddTicket inserts a ticket with its tags, messages and events, and returns its number.
// The caller owns the ticket's consistency (statuses, timestamps, authors): this is a loader, not CreateTicket.
func (b *Bulk) AddTicket(t *BulkTicket) (int64, error) {
	if err := b.flushIfFull(); err != nil {
		return 0, err
	}
	if err := b.flushPgIfFull(); err != nil {
		return 0, err
	}
	if t.Number == 0 {
		t.Number = b.next
	}
	if t.Number >= b.next {
		b.next = t.Number + 1
	}
	if t.Language == "" {
		t.Language = "da"
	}
	var assignee any
	if t.AssigneeID != 0 {
		assignee = t.AssigneeID
	}
	id, err := b.exec("ticket", t.Number, t.Subject, string(t.Status), string(t.Priority), t.Priority.Rank(), assignee, t.CustomerID,
		string(t.Channel), t.Language, t.CreatedAt.UTC(), t.UpdatedAt.UTC(), utcOrNil(t.FirstResponseAt), utcOrNil(t.SolvedAt))
	if err != nil {
		return 0, err
	}
	var tagged []int64
	for _, name := range t.Tags {
		tagID, err := b.tagID(name)
		if err != nil {
			return 0, err
		}
		if slices.Contains(tagged, tagID) {
			continue // "VIP" and "vip" are one tag; COPY has no ON CONFLICT to skip the second
		}
		tagged = append(tagged, tagID)
		if _, err := b.exec("tagged", id, tagID); err != nil {
			return 0, err
		}
	}
	for _, m := range t.Messages {
		var user, customer any
		if m.AuthorUserID != 0 {
			user = m.AuthorUserID
		} else {
			customer = t.CustomerID
		}
		format := "text"
		if m.HTML {
			format = "html"
		}
		kind := m.Kind
		if kind == "" {
			kind = desk.KindReply
		}
		if _, err := b.exec("message", id, user, customer, string(kind), format, m.Body, m.CreatedAt.UTC()); err != nil {
			return 0, err
		}
	}
	for _, e := range t.Events {
		var actor any
		if e.ActorUserID != 0 {
			actor = e.ActorUserID
		}
		if _, err := b.exec("event", id, actor, e.Field, e.OldValue, e.NewValue, e.CreatedAt.UTC()); err != nil {
			return 0, err
		}
	}
	if b.firstID == 0 {
		b.firstID = id
	}
	if b.opts.Mode == BulkTriggers {
		b.dirty = append(b.dirty, id)
	}
	b.pending++
	b.stats.Tickets++
	b.stats.Messages += int64(len(t.Messages))
	b.stats.Events += int64(len(t.Events))
	return t.Number, nil
}

func (b *Bulk) tagID(name string) (int64, error) {
	name = strings.ToLower(name)
	if id, ok := b.tags[name]; ok {
		return id, nil
	}
	var id int64
	if err := b.stmts["tag"].QueryRowContext(b.ctx, name).Scan(&id); err != nil {
		return 0, b.fail(fmt.Errorf("insert tag: %w", err))
	}
	b.tags[name] = id
	b.stats.Tags++
	return id, nil
}

func utcOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// suspendTriggers saves the SQL of the per-row insert triggers and drops them inside the transaction.
func (b *Bulk) suspendTriggers() ([]string, error) {
	var saved []string
	if b.d.pg {
		return b.suspendPgTriggers()
	}
	for _, name := range deferredTriggers {
		var q string
		if err := b.tx.QueryRowContext(b.ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", name).Scan(&q); err != nil {
			return nil, fmt.Errorf("store: bulk: trigger %s: %w", name, err)
		}
		if _, err := b.tx.ExecContext(b.ctx, "DROP TRIGGER "+name); err != nil {
			return nil, fmt.Errorf("store: bulk: drop trigger %s: %w", name, err)
		}
		saved = append(saved, q)
	}
	return saved, nil
}

// rebuildDerived recomputes what the suspended triggers would have written, then restores them.
func (b *Bulk) rebuildDerived(saved []string) error {
	for _, q := range []string{
		`DELETE FROM ticket_counts`,
		`INSERT INTO ticket_counts (status, assignee_id, n) SELECT status, COALESCE(assignee_id, 0), COUNT(*) FROM tickets GROUP BY 1, 2`,
	} {
		if _, err := b.tx.ExecContext(b.ctx, q); err != nil {
			return fmt.Errorf("store: bulk: %s: %w", q, err)
		}
	}
	if b.firstID != 0 {
		if err := b.writeDocsFrom(b.firstID); err != nil {
			return fmt.Errorf("store: bulk: search documents: %w", err)
		}
	}
	for _, q := range saved {
		if _, err := b.tx.ExecContext(b.ctx, q); err != nil {
			return fmt.Errorf("store: bulk: restore trigger: %w", err)
		}
	}
	return nil
}
