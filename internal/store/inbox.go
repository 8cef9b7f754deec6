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
)

// ListTickets draws one page of an inbox view. Every view walks an index in its sort order and
// stops after one page (keyset pagination), so the cost does not grow with the number of tickets.
func (s *Store) ListTickets(ctx context.Context, f desk.Filter) (desk.Page, error) {
	if err := f.Normalize(); err != nil {
		return desk.Page{}, err
	}
	cur, err := decodeCursor(f.After, f.Sort)
	if err != nil {
		return desk.Page{}, err
	}
	q := s.r.WithContext(ctx).Table(ticketJoins)
	if f.Query != "" {
		if q, err = s.search(ctx, f.Query); err != nil {
			return desk.Page{}, err
		}
	}
	q = whereView(q.Select(ticketColumns), f)
	q = orderAndSeek(q, f.Sort, cur)
	var rows []ticketListRow
	if err := q.Limit(f.Limit + 1).Find(&rows).Error; err != nil {
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

func whereView(q *gorm.DB, f desk.Filter) *gorm.DB {
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
		q = q.Where("t.id IN (SELECT tt.ticket_id FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id WHERE g.name = ?)", f.Tag)
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
//   - walk: step through the view's own index in sort order, as an inbox page does, and keep a ticket
//     when its subject or one of its messages matches (an FTS lookup by rowid per ticket). Cost grows
//     with how many tickets it must look at before a page is full, about page size / share of tickets
//     matching, so it serves common words, where collecting would sort hundreds of thousands of rows.
//
// The probe counts matches up to searchProbeLimit: fewer means collect, more means walk.
//
// The trailing prefix is expanded to the matching terms of the two indexes' vocabularies (at most
// maxPrefixTerms): FTS5 answers a prefix query by merging the doclists of every term with that prefix
// before it returns the first row, even for a lookup by rowid, which made the walk's per-ticket check
// cost the whole merge. An OR of whole terms seeks instead.
const maxPrefixTerms = 24

// searchProbeLimit is a variable so tests can send small searches down the walk.
var searchProbeLimit = 20000

type searchPlan struct {
	match string // the FTS5 query
	walk  bool
}

// search returns q's FROM (and WHERE) narrowed to the tickets that match typed, or all tickets if nothing searchable was typed.
func (s *Store) search(ctx context.Context, typed string) (*gorm.DB, error) {
	db := s.r.WithContext(ctx)
	plan, err := planSearch(db, typed)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	switch {
	case plan.match == "":
		return db.Table(ticketJoins), nil
	case plan.walk:
		return db.Table(ticketJoins).Where(`(EXISTS (SELECT 1 FROM tickets_fts WHERE tickets_fts MATCH ? AND rowid = t.id)
			OR EXISTS (SELECT 1 FROM messages m CROSS JOIN messages_fts f ON f.rowid = m.id WHERE m.ticket_id = t.id AND f.messages_fts MATCH ?))`,
			plan.match, plan.match), nil
	default:
		// CROSS JOIN makes SQLite start from the matches and look each ticket up by id, then sort.
		return db.Table(`(SELECT rowid AS id FROM tickets_fts WHERE tickets_fts MATCH ?
			UNION SELECT m.ticket_id FROM messages_fts f CROSS JOIN messages m ON m.id = f.rowid WHERE f.messages_fts MATCH ?) AS hits
			CROSS JOIN `+ticketJoins, plan.match, plan.match).Where("t.id = hits.id"), nil
	}
}

func planSearch(db *gorm.DB, typed string) (searchPlan, error) {
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
func prefixTerms(db *gorm.DB, prefix string) ([]string, error) {
	upper := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	var terms []string
	err := db.Raw(`SELECT term FROM (SELECT term FROM messages_fts_vocab WHERE term >= ? AND term < ? LIMIT ?)
		UNION SELECT term FROM (SELECT term FROM tickets_fts_vocab WHERE term >= ? AND term < ? LIMIT ?)`,
		prefix, upper, maxPrefixTerms+1, prefix, upper, maxPrefixTerms+1).Scan(&terms).Error
	if err != nil || len(terms) > maxPrefixTerms {
		return nil, err
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

func decodeCursor(s string, sort desk.Sort) (*cursor, error) {
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
