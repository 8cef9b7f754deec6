package store

import (
	"context"
	"fmt"

	"coachdesk/internal/desk"
	"coachdesk/internal/search"
)

// snippetWidth is about how many bytes of a message a search result shows.
const snippetWidth = 180

// Snippets returns, for each ticket of a search page that a message of it matches, the passage of
// its best matching message (the one with the most matching words; the newest of equals) with the
// matches marked. The words are matched as the index matches them: stemmed in the ticket's language.
func (s *Store) Snippets(ctx context.Context, typed string, tickets []desk.Ticket) (map[int64][]search.Segment, error) {
	out := map[int64][]search.Segment{}
	m := search.NewMatcher(search.Parse(typed), search.Languages)
	if m.Empty() || len(tickets) == 0 {
		return out, nil
	}
	ids := make([]int64, len(tickets))
	lang := make(map[int64]string, len(tickets))
	for i, t := range tickets {
		ids[i], lang[t.ID] = t.ID, t.Language
	}
	var rows []struct {
		TicketID int64
		Format   string
		Body     string
	}
	err := s.r.WithContext(ctx).Table("messages").Select("ticket_id, format, body").
		Where("ticket_id IN ?", ids).Order("ticket_id, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: snippets: %w", err)
	}
	best := map[int64]int{}
	for _, r := range rows {
		text := messageText(docMessage{html: r.Format == "html", body: r.Body})
		hits := m.Hits(text, lang[r.TicketID])
		if len(hits) == 0 || len(hits) < best[r.TicketID] {
			continue
		}
		best[r.TicketID] = len(hits)
		out[r.TicketID] = search.Snippet(text, hits, snippetWidth)
	}
	return out, nil
}
