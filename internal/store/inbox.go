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
	q := s.r.WithContext(ctx).Table(ticketJoins).Select(ticketColumns)
	q = whereView(q, f)
	q, err = whereSearch(q, f.Query)
	if err != nil {
		return desk.Page{}, err
	}
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

// whereSearch keeps tickets whose subject or any message matches every word typed (prefix match on the last).
func whereSearch(q *gorm.DB, query string) (*gorm.DB, error) {
	if query == "" {
		return q, nil
	}
	match := ftsQuery(query)
	if match == "" {
		return q, nil
	}
	return q.Where(`t.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?
		UNION SELECT m.ticket_id FROM messages m WHERE m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?))`, match, match), nil
}

// ftsQuery turns what a person types into an FTS5 query: every word must occur, none is syntax.
func ftsQuery(typed string) string {
	words := strings.FieldsFunc(typed, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '@' || r == '.' || r == '#' || isWordRune(r))
	})
	var parts []string
	for _, w := range words {
		w = strings.Trim(w, "-_.@#")
		if w == "" {
			continue
		}
		parts = append(parts, `"`+strings.ReplaceAll(w, `"`, "")+`"`)
	}
	if len(parts) == 0 {
		return ""
	}
	parts[len(parts)-1] += "*"
	return strings.Join(parts, " ")
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
