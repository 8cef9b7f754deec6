package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// ListTickets draws one page of an inbox view. Every view walks an index in its sort order and
// stops after one page (keyset pagination), so the cost does not grow with the number of tickets.
func (s *Store) ListTickets(ctx context.Context, f desk.Filter) (desk.Page, error) {
	if err := f.Normalize(); err != nil {
		return desk.Page{}, err
	}
	cur, err := decodeCursor(f.After)
	if err != nil {
		return desk.Page{}, err
	}
	db := s.r.WithContext(ctx)
	vf := viewFilter{Filter: f}
	if f.Tag != "" {
		var n int64
		err := db.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM ticket_tags tt WHERE tt.tag_id = (SELECT g.id FROM tags g WHERE g.name = ?) LIMIT ?)`,
			f.Tag, tagProbeLimit).Scan(&n).Error
		if err != nil {
			return desk.Page{}, fmt.Errorf("store: list tickets: %w", err)
		}
		vf.tagCommon = n >= int64(tagProbeLimit)
	}
	var rows []ticketListRow
	plan, err := planSearch(db, f.Query)
	if err != nil {
		return desk.Page{}, fmt.Errorf("store: search: %w", err)
	}
	if plan.walk {
		rows, err = walkSearch(db, vf, cur, plan.match)
	} else {
		q := orderAndSeek(whereView(plan.from(db).Select(ticketColumns), vf), f.Sort, cur)
		err = q.Limit(f.Limit + 1).Find(&rows).Error
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

// viewFilter is a filter with what ListTickets learned about it before building the query.
type viewFilter struct {
	desk.Filter
	tagCommon bool // the tag is on at least tagProbeLimit tickets
}

// tagProbeLimit is where a tag filter switches from collecting the tag's tickets to walking the view.
var tagProbeLimit = 2000

func whereView(q *gorm.DB, f viewFilter) *gorm.DB {
	switch f.View {
	case desk.ViewMine:
		q = q.Where("t.assignee_id = ? AND t.is_open = 1", f.UserID)
	case desk.ViewUnassigned:
		q = q.Where("t.assignee_id IS NULL AND t.is_open = 1")
	case desk.ViewOpen:
		q = q.Where("t.is_open = 1")
	case desk.ViewPending:
		q = q.Where("t.status = ?", desk.StatusPending)
	case desk.ViewSolved:
		q = q.Where("t.status = ?", desk.StatusSolved)
	}
	if f.Status != "" {
		q = q.Where("t.status = ?", f.Status)
	}
	switch {
	case f.AssigneeID > 0:
		q = q.Where("t.assignee_id = ?", f.AssigneeID)
	case f.AssigneeID < 0:
		q = q.Where("t.assignee_id IS NULL")
	}
	if f.Priority != "" {
		q = q.Where("t.priority_rank = ?", f.Priority.Rank())
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
		q = q.Where("t.customer_id = ?", f.CustomerID)
	}
	return q
}

// Full-text search: every word typed must occur in the subject or in one message; the last word also
// matches as a prefix ("pakke" finds "pakken"). Results keep the inbox's order and keyset cursor.
//
// Two plans give the same, exact results at different costs, and search picks by a cheap probe:
//
//   - collect: read every match from both FTS indexes, map messages to tickets, then sort those
//     tickets. Cost grows with the number of matches, so it serves rare words (an order number, a name).
//   - walk: step through the view's own index in sort order, as an inbox page does, a window of
//     tickets at a time, and keep the tickets whose subject or one of whose messages matches. Cost
//     grows with how many tickets it must read before a page is full, about page size / share of
//     tickets matching, so it serves common words, where collecting would sort hundreds of thousands.
//
// The probe counts matches up to searchProbeLimit: fewer means collect, more means walk.
//
// The trailing prefix is expanded to the matching terms of the two indexes' vocabularies (at most
// maxPrefixTerms): FTS5 answers a prefix query by merging the doclists of every term with that prefix
// before it returns the first row, even for a lookup by rowid, which made the walk's per-ticket check
// cost the whole merge. An OR of whole terms seeks instead.
const maxPrefixTerms = 24

// searchProbeLimit is a variable so tests can send small searches down the walk.
var searchProbeLimit = 5000

// walkWindow is how many tickets of the view the walk reads with its first FTS5 query; each
// further window is twice as large, up to maxWalkWindow, so sparse matches take few round trips.
// A variable for tests.
var walkWindow = 2000

const maxWalkWindow = 32000

type searchPlan struct {
	match string // the FTS5 query
	walk  bool
}

// from is the FROM clause of a page without search, or of one that collects every match first.
func (p searchPlan) from(db *gorm.DB) *gorm.DB {
	if p.match == "" {
		return db.Table(ticketJoins)
	}
	// CROSS JOIN makes SQLite start from the matches and look each ticket up by id, then sort.
	return db.Table(`(SELECT rowid AS id FROM tickets_fts WHERE tickets_fts MATCH ?
		UNION SELECT m.ticket_id FROM messages_fts f CROSS JOIN messages m ON m.id = f.rowid WHERE f.messages_fts MATCH ?) AS hits
		CROSS JOIN `+ticketJoins, p.match, p.match).Where("t.id = hits.id")
}

// walkSearch reads the view in its order, a window of tickets at a time, and keeps those that match,
// until a page (and one more row, to know there is a next page) is full or the view ends.
//
// Each window asks FTS5 once, not once per ticket: only for matches from the window's own rows on
// (its lowest ticket id for subjects, the lowest id of its tickets' messages for messages), which
// FTS5 answers by seeking in its doclists. A lookup per ticket cost ~30 µs of FTS5 setup each and
// made a word in 1 % of tickets take 190 ms at a million tickets.
func walkSearch(db *gorm.DB, f viewFilter, cur *cursor, match string) ([]ticketListRow, error) {
	var out []ticketListRow
	for window := walkWindow; ; window = min(2*window, maxWalkWindow) {
		var win []ticketRow
		// Only the sort key, so the view's index answers without reading the tickets themselves.
		keys := "t.id, t.updated_at"
		switch f.Sort {
		case desk.SortCreated:
			keys = "t.id, t.created_at"
		case desk.SortPriority:
			keys = "t.id, t.priority_rank, t.updated_at"
		}
		wq := whereView(db.Table("tickets t").Select(keys), f)
		if err := orderAndSeek(wq, f.Sort, cur).Limit(window).Find(&win).Error; err != nil {
			return nil, err
		}
		if len(win) == 0 {
			return out, nil
		}
		// The window's ids go in as one JSON array: thousands of "?" would cost more to parse than to run.
		var ids strings.Builder
		lowest := win[0].ID
		ids.WriteByte('[')
		for i, w := range win {
			if i > 0 {
				ids.WriteByte(',')
			}
			ids.WriteString(strconv.FormatInt(w.ID, 10))
			lowest = min(lowest, w.ID)
		}
		ids.WriteByte(']')
		// The page query walks the same stretch of the view's index (from the cursor down to the window's
		// last row) in order, so it stops as soon as the page is full. "+m.id" keeps SQLite from seeking
		// messages_ticket once per (ticket, match) pair: it reads a ticket's few messages and tests each
		// against the matches, which it collects once per query.
		var rows []ticketListRow
		last := win[len(win)-1]
		q := notPast(whereView(db.Table(ticketJoins).Select(ticketColumns), f), f.Sort, last).
			Where(`(t.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH @match AND rowid >= @lowest)
				OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND +m.id IN (SELECT rowid FROM messages_fts
					WHERE messages_fts MATCH @match AND rowid >= (SELECT MIN(w.id) FROM messages w INDEXED BY messages_ticket
						WHERE w.ticket_id IN (SELECT value FROM json_each(@ids))))))`,
				sql.Named("match", match), sql.Named("lowest", lowest), sql.Named("ids", ids.String()))
		if err := orderAndSeek(q, f.Sort, cur).Limit(f.Limit + 1 - len(out)).Find(&rows).Error; err != nil {
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

func planSearch(db *gorm.DB, typed string) (searchPlan, error) {
	if typed == "" {
		return searchPlan{}, nil
	}
	words := searchWords(typed)
	if len(words) == 0 {
		return searchPlan{}, nil
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = quoteFTS(w)
	}
	last := strings.ToLower(words[len(words)-1])
	parts[len(parts)-1] += "*"
	if isPlainToken(last) {
		terms, err := prefixTerms(db, last)
		if err != nil {
			return searchPlan{}, err
		}
		switch {
		case terms == nil: // too many to list: keep the prefix query
		case len(terms) == 0:
			parts[len(parts)-1] = quoteFTS(last) // nothing starts with it, so nothing matches
		default:
			for i, t := range terms {
				terms[i] = quoteFTS(t)
			}
			parts[len(parts)-1] = "(" + strings.Join(terms, " OR ") + ")"
		}
	}
	plan := searchPlan{match: strings.Join(parts, " AND ")}
	var n int64
	err := db.Raw(`SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?))
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM tickets_fts WHERE tickets_fts MATCH ? LIMIT ?))`,
		plan.match, searchProbeLimit, plan.match, searchProbeLimit).Scan(&n).Error
	plan.walk = n >= int64(searchProbeLimit)
	return plan, err
}

// prefixTerms lists the indexed terms that start with prefix, or nil when there are more than maxPrefixTerms.
// It skips from each term to the next in the 'instance' vocabularies, one seek per term, without reading postings.
func prefixTerms(db *gorm.DB, prefix string) ([]string, error) {
	upper := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	var terms []string
	for _, vocab := range []string{"messages_fts_vocab", "tickets_fts_vocab"} {
		var found []string
		err := db.Raw(`WITH RECURSIVE terms (term) AS (
				SELECT (SELECT term FROM `+vocab+` WHERE term >= @lo AND term < @hi LIMIT 1)
				UNION ALL
				SELECT (SELECT term FROM `+vocab+` WHERE term >= terms.term || char(1) AND term < @hi LIMIT 1)
				FROM terms WHERE terms.term IS NOT NULL LIMIT @n)
			SELECT term FROM terms WHERE term IS NOT NULL`,
			sql.Named("lo", prefix), sql.Named("hi", upper), sql.Named("n", maxPrefixTerms+2)).Scan(&found).Error
		if err != nil {
			return nil, err
		}
		for _, t := range found {
			if !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		if len(terms) > maxPrefixTerms {
			return nil, nil
		}
	}
	if terms == nil {
		terms = []string{}
	}
	return terms, nil
}

// searchWords splits what a person types into words; none is FTS5 syntax.
func searchWords(typed string) []string {
	fields := strings.FieldsFunc(typed, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '@' || r == '.' || r == '#' || isWordRune(r))
	})
	var words []string
	for _, w := range fields {
		if w = strings.Trim(w, "-_.@#"); w != "" {
			words = append(words, w)
		}
	}
	return words
}

func quoteFTS(w string) string { return `"` + strings.ReplaceAll(w, `"`, "") + `"` }

// isPlainToken reports whether the FTS tokenizer keeps w as one term unchanged once lower-cased:
// ASCII letters and digits only (the tokenizer also folds diacritics, which we do not reproduce here).
func isPlainToken(w string) bool {
	for _, r := range w {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return w != ""
}

func isWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
}

type cursor struct {
	rank int
	at   time.Time
	id   int64
}

func orderAndSeek(q *gorm.DB, sort desk.Sort, c *cursor) *gorm.DB {
	switch sort {
	case desk.SortCreated:
		if c != nil {
			q = q.Where("(t.created_at, t.id) < (?, ?)", c.at, c.id)
		}
		return q.Order("t.created_at DESC, t.id DESC")
	case desk.SortPriority:
		if c != nil {
			q = q.Where("(t.priority_rank, t.updated_at, t.id) < (?, ?, ?)", c.rank, c.at, c.id)
		}
		return q.Order("t.priority_rank DESC, t.updated_at DESC, t.id DESC")
	default:
		if c != nil {
			q = q.Where("(t.updated_at, t.id) < (?, ?)", c.at, c.id)
		}
		return q.Order("t.updated_at DESC, t.id DESC")
	}
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
	var rows []struct {
		Status     string
		AssigneeID int64
		N          int64
	}
	if err := s.r.WithContext(ctx).Table("ticket_counts").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: counts: %w", err)
	}
	c := desk.Counts{}
	for _, r := range rows {
		st := desk.Status(r.Status)
		c[desk.ViewAll] += r.N
		switch {
		case st.IsOpen():
			c[desk.ViewOpen] += r.N
			if r.AssigneeID == 0 {
				c[desk.ViewUnassigned] += r.N
			}
			if r.AssigneeID == userID {
				c[desk.ViewMine] += r.N
			}
		case st == desk.StatusPending:
			c[desk.ViewPending] += r.N
		case st == desk.StatusSolved:
			c[desk.ViewSolved] += r.N
		}
	}
	return c, nil
}
