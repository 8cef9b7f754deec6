package store

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// SortRelevance orders a search by how well tickets match instead of newest first. Ranking is
// bounded: only the rankWindow newest matches are ranked, so a word in half of all tickets costs
// what a rare one does, and an old ticket that matches well is found by narrowing the search.
const SortRelevance = desk.SortRelevance

// rankWindow is how many of the newest matches relevance ranks. A variable for tests.
var rankWindow = 2000

// rankedPage is one page of a search by relevance: the newest matches, scored, filtered by the
// view, best first. Its cursor is the offset into that ranking ("R|52").
func (s *Store) rankedPage(db *gorm.DB, f viewFilter, match string) (desk.Page, error) {
	offset, err := decodeRankCursor(f.After)
	if err != nil {
		return desk.Page{}, err
	}
	var rows []ticketListRow
	if err := rankedQuery(db, f, match, offset).Find(&rows).Error; err != nil {
		return desk.Page{}, fmt.Errorf("store: search by relevance: %w", err)
	}
	page := desk.Page{Tickets: make([]desk.Ticket, 0, len(rows))}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		page.Next = base64.RawURLEncoding.EncodeToString([]byte("R|" + strconv.Itoa(offset+f.Limit)))
	}
	for _, r := range rows {
		page.Tickets = append(page.Tickets, r.ticket())
	}
	return page, loadTags(db, page.Tickets)
}

// rankedQuery scores the newest rankWindow matches, keeps the view's and sorts those (a bounded sort).
func rankedQuery(db *gorm.DB, f viewFilter, match string, offset int) *gorm.DB {
	hits, args := searchOf(db).newest(match, rankWindow)
	from := db.Table("("+hits+") AS hits CROSS JOIN "+ticketJoins, args...).Where("t.id = hits.id")
	return whereView(from.Select(ticketColumns), f).Order("hits.score DESC, t.updated_at DESC, t.id DESC").
		Offset(offset).Limit(f.Limit + 1)
}

func decodeRankCursor(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "R|"))
	if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "R|") || n < 0 {
		return 0, desk.Errorf(desk.EINVALID, "after", "The page cursor is not valid; start again from the first page.")
	}
	return n, nil
}
