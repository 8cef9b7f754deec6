package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
	"coachdesk/internal/search"
)

// ListTickets draws one page of an inbox view. Every view walks an index in its sort order and
// stops after one page (keyset pagination), so the cost does not grow with the number of tickets.
// Which index serves which view, filter and sort is written down in plans.md.
func (s *Store) ListTickets(ctx context.Context, f desk.Filter) (desk.Page, error) {
	relevance := f.Sort == SortRelevance
	if relevance {
		f.Sort = desk.SortUpdated
	}
	if err := f.Normalize(); err != nil {
		return desk.Page{}, err
	}
	if f.Priority != "" && f.Sort == desk.SortPriority {
		f.Sort = desk.SortUpdated // one priority's tickets in priority order are in updated order; cursors read alike
	}
	db := s.r.WithContext(ctx)
	q := search.Parse(f.Query)
	vf, none, err := fieldFilters(db, f, q)
	if err != nil || none {
		return desk.Page{Tickets: []desk.Ticket{}}, err
	}
	if vf.Tag != "" {
		var n int64
		err := db.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM ticket_tags tt WHERE tt.tag_id = (SELECT g.id FROM tags g WHERE g.name = ?) LIMIT ?) AS tagged`,
			vf.Tag, tagProbeLimit).Scan(&n).Error
		if err != nil {
			return desk.Page{}, fmt.Errorf("store: list tickets: %w", err)
		}
		vf.tagCommon = n >= int64(tagProbeLimit)
	}
	match, err := searchOf(db).compile(db, q)
	if err != nil {
		return desk.Page{}, fmt.Errorf("store: search: %w", err)
	}
	if match == "" && len(q.Exclude) > 0 {
		if vf.excludes, vf.excludeArgs, err = searchOf(db).excludes(db, q); err != nil {
			return desk.Page{}, fmt.Errorf("store: search: %w", err)
		}
	}
	if relevance && match != "" {
		return s.rankedPage(db, vf, match)
	}
	cur, err := decodeCursor(f.After)
	if err != nil {
		return desk.Page{}, err
	}
	var rows []ticketListRow
	switch {
	case match == "":
		err = pageQuery(db, vf, cur).Find(&rows).Error
	default:
		var n int64
		if n, err = searchOf(db).countUpTo(db, match, searchProbeLimit); err != nil {
			break
		}
		if n >= int64(searchProbeLimit) {
			if test, args := searchOf(db).rowTest(match); test != "" {
				err = pageQuery(db, vf, cur).Where(test, args...).Find(&rows).Error
			} else {
				rows, err = walkSearch(db, vf, cur, match)
			}
			break
		}
		err = collectQuery(db, vf, cur, match).Find(&rows).Error
	}
	if err != nil {
		return desk.Page{}, fmt.Errorf("store: list tickets: %w", err)
	}
	page := desk.Page{Tickets: make([]desk.Ticket, 0, len(rows))}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		page.Next = encodeCursor(rows[len(rows)-1].Row, f.Sort)
	}
	for _, r := range rows {
		page.Tickets = append(page.Tickets, r.ticket())
	}
	return page, loadTags(s.r.WithContext(ctx), page.Tickets)
}

// pageQuery is a page of a view without search: its index, walked in order from the cursor.
func pageQuery(db *gorm.DB, vf viewFilter, cur *cursor) *gorm.DB {
	return orderAndSeek(whereView(db.Table(walkedJoins(dialectOf(db), vf)).Select(ticketColumns), vf), vf.Sort, cur, leadOrder(db, vf)).Limit(vf.Limit + 1)
}

// collectQuery is a page of a search with few matches: collect them all, look each ticket up by id,
// filter by the view and sort at most searchProbeLimit rows.
func collectQuery(db *gorm.DB, vf viewFilter, cur *cursor, match string) *gorm.DB {
	tables, cond, args := searchOf(db).collect(match)
	from := db.Table(tables).Where(cond, args...)
	return orderAndSeek(whereView(from.Select(ticketColumns), vf), vf.Sort, cur, "").Limit(vf.Limit + 1)
}

// viewFilter is a filter with what ListTickets learned about it before building the query.
type viewFilter struct {
	desk.Filter
	tagCommon   bool     // the tag is on at least tagProbeLimit tickets
	moreTags    []string // tag: filters after the first
	numbers     []int64  // #1042
	customers   []int64  // from:anna@example.dk
	excludes    string   // -word with nothing else to match: a condition on t
	excludeArgs []any
}

// tagProbeLimit is where a tag filter switches from collecting the tag's tickets to walking the view.
var tagProbeLimit = 2000

func whereView(q *gorm.DB, f viewFilter) *gorm.DB {
	// Only the leading column's conditions may use an index; the others are written "+t.col", which
	// SQLite checks row by row as it walks that index in the page's order (plans.md).
	lead, d := leadColumn(f), dialectOf(q)
	on := func(col string) string {
		if col == lead || (col == "is_open" && lead == "assignee") || (col == "priority" && priorityIndexed(f)) {
			return "t."
		}
		return d.unindexed("t.")
	}
	// eq is " = v", and for the lead on PostgreSQL " = ANY (ARRAY[v])": the planner folds a plain
	// equality into a constant and drops the lead from the ORDER BY (leadOrder), which pins the index.
	eq := func(col, v, pgType string) string {
		if col == lead && d.pg {
			return " = ANY (ARRAY[" + v + "]::" + pgType + "[])"
		}
		return " = " + v
	}
	switch f.View {
	case desk.ViewMine:
		q = q.Where(on("assignee")+"assignee_id"+eq("assignee", "?", "bigint")+" AND "+on("is_open")+"is_open = 1", f.UserID)
	case desk.ViewUnassigned:
		q = q.Where(on("assignee") + "assignee_id IS NULL AND " + on("is_open") + "is_open = 1")
	case desk.ViewOpen:
		q = q.Where(on("is_open") + "is_open" + eq("is_open", "1", "integer"))
	case desk.ViewPending:
		q = q.Where(on("status")+"status"+eq("status", "?", "text"), desk.StatusPending)
	case desk.ViewSolved:
		q = q.Where(on("status")+"status"+eq("status", "?", "text"), desk.StatusSolved)
	}
	if f.Status != "" {
		q = q.Where(on("status")+"status"+eq("status", "?", "text"), f.Status)
	}
	switch {
	case f.AssigneeID > 0:
		q = q.Where(on("assignee")+"assignee_id"+eq("assignee", "?", "bigint"), f.AssigneeID)
	case f.AssigneeID < 0:
		q = q.Where(on("assignee") + "assignee_id IS NULL")
	}
	if f.Priority != "" {
		q = q.Where(on("priority")+"priority_rank"+eq("priority", "?", "integer"), f.Priority.Rank())
	}
	if f.Tag != "" {
		// A tag on many tickets: check each ticket the view's index walks by (tag_id, ticket_id), about a
		// microsecond each. A tag on few: collect its tickets and sort them, as a walk would read the whole view.
		if f.tagCommon {
			q = q.Where("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.tag_id = (SELECT g.id FROM tags g WHERE g.name = ?) AND tt.ticket_id = t.id)", f.Tag)
		} else {
			q = q.Where("t.id IN (SELECT tt.ticket_id FROM ticket_tags tt WHERE tt.tag_id = (SELECT g.id FROM tags g WHERE g.name = ?))", f.Tag)
		}
	}
	if f.CustomerID != 0 {
		q = q.Where(on("customer")+"customer_id"+eq("customer", "?", "bigint"), f.CustomerID)
	}
	return whereFields(q, f)
}

// Full-text search keeps the inbox's order and keyset cursor. Two plans give the same, exact results
// at different costs, and ListTickets picks by a cheap probe (the search predicate itself, and how
// it counts, is the textSearch in search.go):
//
//   - collect: read every match, look the tickets up by id, then sort them. Cost grows with the
//     number of matches, so it serves rare words (an order number, a name).
//   - walk: step through the view's own index in sort order, as an inbox page does, and keep the
//     tickets that match: on PostgreSQL one ticket at a time (rowTest), on SQLite a window of
//     tickets at a time. Cost grows with how many tickets it must read before a page is full, about
//     page size / share of tickets matching, so it serves common words, where collecting would
//     sort hundreds of thousands.
//
// The probe counts matches up to searchProbeLimit: fewer means collect, more means walk.

// searchProbeLimit is a variable so tests can send small searches down the walk.
var searchProbeLimit = 5000

// walkWindow is how many tickets of the view the walk reads with its first FTS5 query: enough for a
// page of a word in a fifth of the tickets. Each further window is twice as large, up to
// maxWalkWindow, so sparse matches take few round trips and no walk reads more than twice what it
// needs (2000 made "pakke" read 4,000 rows for a page of 26: 17 ms instead of 4). A variable for tests.
var walkWindow = 128

const maxWalkWindow = 32000

// walkSearch reads the view in its order, a window of tickets at a time, and keeps those that match,
// until a page (and one more row, to know there is a next page) is full or the view ends.
//
// Each window asks the index once, not once per ticket: only for matches with ids in the window's
// range, which FTS5 answers by seeking in its doclists. A lookup per ticket cost ~30 µs of FTS5
// setup each and made a word in 1 % of tickets take 190 ms at a million tickets.
func walkSearch(db *gorm.DB, f viewFilter, cur *cursor, match string) ([]ticketListRow, error) {
	var out []ticketListRow
	for window := walkWindow; ; window = min(2*window, maxWalkWindow) {
		var win []ticketRow
		if err := windowQuery(db, f, cur, window).Find(&win).Error; err != nil {
			return nil, err
		}
		if len(win) == 0 {
			return out, nil
		}
		lowest, highest := win[0].ID, win[0].ID
		for _, w := range win {
			lowest, highest = min(lowest, w.ID), max(highest, w.ID)
		}
		// The page query walks the same stretch of the view's index (from the cursor down to the
		// window's last row) in order, so it stops as soon as the page is full.
		var rows []ticketListRow
		last := win[len(win)-1]
		if err := windowPageQuery(db, f, cur, last, match, lowest, highest, f.Limit+1-len(out)).Find(&rows).Error; err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(out) > f.Limit || len(win) < window {
			return out, nil
		}
		cur = &cursor{rank: last.PriorityRank, at: last.UpdatedAt, id: last.ID}
		if f.Sort == desk.SortCreated {
			cur.at = last.CreatedAt
		}
	}
}

// windowQuery reads the next window of the view's sort keys, so the view's index answers without
// reading the tickets themselves.
func windowQuery(db *gorm.DB, f viewFilter, cur *cursor, window int) *gorm.DB {
	keys := "t.id, t.updated_at"
	switch f.Sort {
	case desk.SortCreated:
		keys = "t.id, t.created_at"
	case desk.SortPriority:
		keys = "t.id, t.priority_rank, t.updated_at"
	}
	return orderAndSeek(whereView(db.Table(walkedTickets(dialectOf(db), f)).Select(keys), f), f.Sort, cur, leadOrder(db, f)).Limit(window)
}

// windowPageQuery keeps the window's tickets that match, in order, up to limit.
func windowPageQuery(db *gorm.DB, f viewFilter, cur *cursor, last ticketRow, match string, lo, hi int64, limit int) *gorm.DB {
	cond, args := searchOf(db).within(match, lo, hi)
	q := notPast(whereView(db.Table(walkedJoins(dialectOf(db), f)).Select(ticketColumns), f), f.Sort, last).Where(cond, args...)
	return orderAndSeek(q, f.Sort, cur, leadOrder(db, f)).Limit(limit)
}

// notPast keeps the rows that come no later than r in the page order.
func notPast(q *gorm.DB, sort desk.Sort, r ticketRow) *gorm.DB {
	switch sort {
	case desk.SortCreated:
		return q.Where("(t.created_at, t.id) >= (?, ?)", r.CreatedAt, r.ID)
	case desk.SortPriority:
		return q.Where("(t.priority_rank, t.updated_at, t.id) >= (?, ?, ?)", r.PriorityRank, r.UpdatedAt, r.ID)
	default:
		return q.Where("(t.updated_at, t.id) >= (?, ?)", r.UpdatedAt, r.ID)
	}
}

type cursor struct {
	rank int
	at   time.Time
	id   int64
}

// orderAndSeek sorts by the page order, after lead (leadOrder), and starts after the cursor.
func orderAndSeek(q *gorm.DB, sort desk.Sort, c *cursor, lead string) *gorm.DB {
	switch sort {
	case desk.SortCreated:
		if c != nil {
			q = q.Where("(t.created_at, t.id) < (?, ?)", c.at, c.id)
		}
		return q.Order(lead + "t.created_at DESC, t.id DESC")
	case desk.SortPriority:
		if c != nil {
			q = q.Where("(t.priority_rank, t.updated_at, t.id) < (?, ?, ?)", c.rank, c.at, c.id)
		}
		return q.Order(lead + "t.priority_rank DESC, t.updated_at DESC, t.id DESC")
	default:
		if c != nil {
			q = q.Where("(t.updated_at, t.id) < (?, ?)", c.at, c.id)
		}
		return q.Order(lead + "t.updated_at DESC, t.id DESC")
	}
}

// leadOrder pins a walk to its index on PostgreSQL, which has no INDEXED BY: the page order leads
// with the lead's column (one value, so the order is the same), which only that index gives. Left
// to its statistics, PostgreSQL walked tickets_updated for status=closed and filtered the 70,000
// newer tickets (50 ms at a million), and sorted the unassigned view's open tickets.
func leadOrder(db *gorm.DB, f viewFilter) string {
	col := map[string]string{"customer": "t.customer_id", "status": "t.status", "assignee": "t.assignee_id",
		"is_open": "t.is_open", "priority": "t.priority_rank"}[leadColumn(f)]
	if !dialectOf(db).pg || col == "" || (col == "t.priority_rank" && f.Sort == desk.SortPriority) {
		return ""
	}
	return col + " DESC, "
}

func encodeCursor(r ticketRow, sort desk.Sort) string {
	at := r.UpdatedAt
	if sort == desk.SortCreated {
		at = r.CreatedAt
	}
	raw := fmt.Sprintf("%d|%s|%d", r.PriorityRank, at.UTC().Format(time.RFC3339Nano), r.ID)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := desk.Errorf(desk.EINVALID, "after", "The page cursor is not valid; start again from the first page.")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 {
		return nil, bad
	}
	var c cursor
	var e1, e2, e3 error
	c.rank, e1 = strconv.Atoi(parts[0])
	c.at, e2 = time.Parse(time.RFC3339Nano, parts[1])
	c.id, e3 = strconv.ParseInt(parts[2], 10, 64)
	if e1 != nil || e2 != nil || e3 != nil {
		return nil, bad
	}
	return &c, nil
}

// Counts returns the live count of every inbox view for user, from the trigger-kept count table.
func (s *Store) Counts(ctx context.Context, userID int64) (desk.Counts, error) {
	rows, err := s.reads.counts.QueryContext(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	defer rows.Close()
	c := desk.Counts{}
	for rows.Next() {
		var status string
		var unassigned, mine bool
		var n int64
		if err := rows.Scan(&status, &unassigned, &mine, &n); err != nil {
			return nil, fmt.Errorf("store: counts: %w", err)
		}
		st := desk.Status(status)
		c[desk.ViewAll] += n
		switch {
		case st.IsOpen():
			c[desk.ViewOpen] += n
			if unassigned {
				c[desk.ViewUnassigned] += n
			}
			if mine {
				c[desk.ViewMine] += n
			}
		case st == desk.StatusPending:
			c[desk.ViewPending] += n
		case st == desk.StatusSolved:
			c[desk.ViewSolved] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	return c, nil
}
