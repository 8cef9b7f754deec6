package store

import "context"

// LastReplyFromCustomer reports whether the newest public message on the ticket is the customer's,
// the one thing the coach asks of the thread before a reply is stored: answered from the index,
// without loading the thread and its coaching for every send.
func (s *Store) LastReplyFromCustomer(ctx context.Context, ticketID int64) (bool, error) {
	var fromCustomer []bool
	err := s.r.WithContext(ctx).Raw(`SELECT author_user_id IS NULL FROM messages
		WHERE ticket_id = ? AND kind = 'reply' ORDER BY id DESC LIMIT 1`, ticketID).Scan(&fromCustomer).Error
	return len(fromCustomer) > 0 && fromCustomer[0], err
}
