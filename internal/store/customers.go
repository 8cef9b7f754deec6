package store

import (
	"context"
	"fmt"
	"strings"

	"coachdesk/internal/desk"
)

// CustomerTickets lists a customer's most recent tickets for the ticket page's customer card.
func (s *Store) CustomerTickets(ctx context.Context, customerID int64, limit int) ([]desk.Ticket, error) {
	page, err := s.ListTickets(ctx, desk.Filter{CustomerID: customerID, Limit: limit})
	return page.Tickets, err
}

// FindCustomers finds customers whose name or e-mail starts with prefix, for the new-ticket form.
func (s *Store) FindCustomers(ctx context.Context, prefix string, limit int) ([]desk.Customer, error) {
	prefix = likeEscape(strings.TrimSpace(prefix)) + "%"
	var rows []customerRow
	err := s.r.WithContext(ctx).Where(s.d.likePrefix("name")+" OR "+s.d.likePrefix("email"), prefix, prefix).
		Order("name").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: find customers: %w", err)
	}
	out := make([]desk.Customer, len(rows))
	for i, r := range rows {
		out[i] = r.customer()
	}
	return out, nil
}

// likeEscape makes a typed prefix match literally in LIKE, wildcards included.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
