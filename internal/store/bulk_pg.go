package store

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL a bulk load buffers its rows and writes each table's with one COPY every
// pgFlushTickets tickets: a round trip per row held a million tickets to hours. COPY returns no
// ids, so the rows get theirs ahead, from their table's sequence in blocks of pgIDBlock.

const (
	pgFlushTickets = 2000
	pgIDBlock      = 4096
)

// pgLoad is what a PostgreSQL bulk load holds between flushes.
type pgLoad struct {
	conn    *sql.Conn           // the load's one connection: its transaction and its COPYs share it
	tables  []*pgTable          // in the order foreign keys need them written
	byName  map[string]*pgTable // by bulkSQL name
	ids     map[string][]int64  // ids taken from each table's sequence and not yet used
	flushes int                 // flushes so far, for when to ANALYZE
}

// pgTable is one table's buffered rows, in COPY's terms.
type pgTable struct {
	name string
	cols []string
	rows [][]any
}

// pgCopyOrder is the order a flush writes the buffered tables in: parents before children.
var pgCopyOrder = []string{"customer", "ticket", "tagged", "message", "event"}

var insertTarget = regexp.MustCompile(`^INSERT INTO (\w+) \(([^)]*)\)`)

// newPgLoad lays out the buffers from the bulk statements themselves, so the columns are named once.
func newPgLoad(conn *sql.Conn) *pgLoad {
	l := &pgLoad{conn: conn, byName: map[string]*pgTable{}, ids: map[string][]int64{}}
	for _, name := range pgCopyOrder {
		m := insertTarget.FindStringSubmatch(bulkSQL[name])
		cols := strings.Split(strings.Join(strings.Fields(m[2]), ""), ",")
		if bulkReturnsID[name] {
			cols = append([]string{"id"}, cols...)
		}
		t := &pgTable{name: m[1], cols: cols}
		l.tables = append(l.tables, t)
		l.byName[name] = t
	}
	return l
}

// execPg buffers a row, giving it its id now when it has one.
func (b *Bulk) execPg(name string, args ...any) (int64, error) {
	t := b.pg.byName[name]
	if !bulkReturnsID[name] {
		t.rows = append(t.rows, args)
		return 0, nil
	}
	id, err := b.nextPgID(t.name)
	if err != nil {
		return 0, b.fail(err)
	}
	t.rows = append(t.rows, append([]any{id}, args...))
	return id, nil
}

// nextPgID hands out the next id of table, taking a block from its sequence when none is left.
// nextval never hands the same id to two sessions, so other writers can insert during the load.
func (b *Bulk) nextPgID(table string) (int64, error) {
	if len(b.pg.ids[table]) == 0 {
		rows, err := b.tx.QueryContext(b.ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, pgIDBlock)
		if err != nil {
			return 0, fmt.Errorf("ids for %s: %w", table, err)
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		slices.Sort(ids) // rows in id order keep the search documents' id ranges dense
		b.pg.ids[table] = ids
	}
	id := b.pg.ids[table][0]
	b.pg.ids[table] = b.pg.ids[table][1:]
	return id, nil
}

// flushPgIfFull writes the buffers once they hold pgFlushTickets tickets.
func (b *Bulk) flushPgIfFull() error {
	if !b.d.pg || len(b.pg.byName["ticket"].rows) < pgFlushTickets {
		return nil
	}
	return b.flushPg()
}

// flushPg copies every buffered row into its table, inside the load's transaction.
func (b *Bulk) flushPg() error {
	if b.pg == nil {
		return nil
	}
	err := b.pg.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		for _, t := range b.pg.tables {
			if len(t.rows) == 0 {
				continue
			}
			if _, err := c.CopyFrom(b.ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			t.rows = t.rows[:0]
		}
		return nil
	})
	if err != nil {
		return b.fail(err)
	}
	// The triggers' queries are planned once per session from the statistics of that moment; statistics
	// of the empty tables planned scans that grew with the load (quadratic at a million). ANALYZE as the
	// tables double re-plans them, at a cost of a few sampled reads.
	b.pg.flushes++
	if b.pg.flushes&(b.pg.flushes-1) == 0 {
		if _, err := b.tx.ExecContext(b.ctx, `ANALYZE tickets, messages, ticket_events, ticket_tags, ticket_solves, ticket_assignees`); err != nil {
			return b.fail(fmt.Errorf("analyze: %w", err))
		}
	}
	return nil
}

// dropPgBuffers forgets what a rolled-back batch buffered.
func (b *Bulk) dropPgBuffers() {
	if b.pg == nil {
		return
	}
	for _, t := range b.pg.tables {
		t.rows = t.rows[:0]
	}
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
