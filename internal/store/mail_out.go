package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// Kinds of outgoing mail: an agent's reply (keyed by message id) or a ticket's confirmation (by ticket id).
const (
	OutReply        = "reply"
	OutConfirmation = "confirmation"
)

// OutMail is one claimed piece of the outbox with what its mail is written from.
type OutMail struct {
	Kind         string
	Key          int64 // the message id of a reply, the ticket id of a confirmation
	TicketID     int64
	Number       int64
	Subject      string
	Language     string
	Recipient    string
	CustomerName string
	Body         string // the reply's text; empty for a confirmation
	AgentID      int64
	AgentName    string
	Signature    string
	MailboxID    int64
	HeaderID     string
	InReplyTo    string
	References   []string `gorm:"-"` // every Message-ID of the ticket before this one, oldest first
	Attempts     int
}

// ClaimMail takes up to limit due pieces of the outbox for lease: a crashed sender's claim runs out
// and the mail is taken again, with the same Message-ID. Claims are writes, so two instances never
// hold the same piece at once.
func (s *Store) ClaimMail(ctx context.Context, lease time.Duration, limit int) ([]OutMail, error) {
	// Most looks find nothing: ask the readers first, so an idle outbox costs no write.
	var due int64
	if err := s.r.WithContext(ctx).Raw(`SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM mail_outbox WHERE state IN ('queued', 'sending') AND next_at <= ? LIMIT 1) AS o)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM mail_confirmations WHERE state IN ('queued', 'sending') AND next_at <= ? LIMIT 1) AS c)`, s.now(), s.now()).Scan(&due).Error; err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	if due == 0 {
		return nil, nil
	}
	var out []OutMail
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = out[:0]
		now := s.now()
		err := tx.Raw(`SELECT 'reply' AS kind, o.message_id AS "key", o.ticket_id, t.number, t.subject, t.language, o.recipient,
				c.name AS customer_name, m.body, COALESCE(m.author_user_id, 0) AS agent_id, COALESCE(u.name, '') AS agent_name,
				COALESCE(sg.body, '') AS signature, COALESCE(o.mailbox_id, 0) AS mailbox_id, h.header_id, h.in_reply_to, o.attempts
			FROM mail_outbox o JOIN tickets t ON t.id = o.ticket_id JOIN customers c ON c.id = t.customer_id
			JOIN messages m ON m.id = o.message_id LEFT JOIN users u ON u.id = m.author_user_id
			LEFT JOIN mail_signatures sg ON sg.user_id = m.author_user_id JOIN mail_headers h ON h.message_id = o.message_id
			WHERE o.state IN ('queued', 'sending') AND o.next_at <= ? ORDER BY o.next_at LIMIT ?`+dialectOf(tx).claimRows("o"), now, limit).Scan(&out).Error
		if err != nil {
			return err
		}
		var conf []OutMail
		err = tx.Raw(`SELECT 'confirmation' AS kind, f.ticket_id AS "key", f.ticket_id, t.number, t.subject, t.language, f.recipient,
				c.name AS customer_name, COALESCE(f.mailbox_id, 0) AS mailbox_id, f.header_id,
				COALESCE((SELECT h.header_id FROM mail_headers h WHERE h.ticket_id = f.ticket_id ORDER BY h.message_id LIMIT 1), '') AS in_reply_to, f.attempts
			FROM mail_confirmations f JOIN tickets t ON t.id = f.ticket_id JOIN customers c ON c.id = t.customer_id
			WHERE f.state IN ('queued', 'sending') AND f.next_at <= ? ORDER BY f.next_at LIMIT ?`+dialectOf(tx).claimRows("f"), now, limit).Scan(&conf).Error
		if err != nil {
			return err
		}
		out = append(out, conf...)
		until := now.Add(lease)
		for i := range out {
			o := &out[i]
			o.Attempts++
			if o.Kind == OutReply {
				err = tx.Exec(`UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, next_at = ?, updated_at = ? WHERE message_id = ?`, until, now, o.Key).Error
			} else {
				err = tx.Exec(`UPDATE mail_confirmations SET state = 'sending', attempts = attempts + 1, next_at = ? WHERE ticket_id = ?`, until, o.Key).Error
			}
			if err != nil {
				return err
			}
			if err := tx.Raw(`SELECT header_id FROM mail_headers WHERE ticket_id = ? AND message_id < ? ORDER BY message_id`, o.TicketID, o.Key).Scan(&o.References).Error; err != nil {
				return err
			}
			if o.Kind == OutConfirmation {
				o.References = nil
				if o.InReplyTo != "" {
					o.References = []string{o.InReplyTo}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	return out, nil
}

// FinishMail records how a send went: sent, failed for good, or queued again at retryAt; answer is
// the server's words. It returns the message (or ticket) whose state changed.
func (s *Store) FinishMail(ctx context.Context, kind string, key int64, state desk.MailState, answer string, retryAt time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		now := s.now()
		if retryAt.IsZero() {
			retryAt = now
		}
		if kind == OutReply {
			return tx.Exec(`UPDATE mail_outbox SET state = ?, answer = ?, next_at = ?, updated_at = ? WHERE message_id = ? AND state <> 'sent'`,
				string(state), clipText(answer, 1000), retryAt, now, key).Error
		}
		return tx.Exec(`UPDATE mail_confirmations SET state = ?, answer = ?, next_at = ? WHERE ticket_id = ? AND state <> 'sent'`,
			string(state), clipText(answer, 1000), retryAt, key).Error
	})
}

// RetryMail queues a failed reply again at once. Errors: ENOTFOUND when the message has no failed mail.
func (s *Store) RetryMail(ctx context.Context, messageID int64) (desk.Delivery, error) {
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Exec(`UPDATE mail_outbox SET state = 'queued', attempts = 0, next_at = ?, updated_at = ? WHERE message_id = ? AND state = 'failed'`, now, now, messageID)
		if res.Error == nil && res.RowsAffected == 0 {
			return desk.Errorf(desk.ENOTFOUND, "", "Message %d has no failed mail to send again.", messageID)
		}
		return res.Error
	})
	if err != nil {
		return desk.Delivery{}, err
	}
	d, err := s.Deliveries(ctx, 0, messageID)
	return d[messageID], err
}

// Deliveries are the outbox states of a ticket's messages (or of one message), by message id.
func (s *Store) Deliveries(ctx context.Context, ticketID, messageID int64) (map[int64]desk.Delivery, error) {
	var rows []struct {
		MessageID int64
		State     string
		Attempts  int
		Answer    string
		Recipient string
	}
	q := s.r.WithContext(ctx).Table("mail_outbox").Select("message_id, state, attempts, answer, recipient")
	if messageID != 0 {
		q = q.Where("message_id = ?", messageID)
	} else {
		q = q.Where("ticket_id = ?", ticketID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	out := make(map[int64]desk.Delivery, len(rows))
	for _, r := range rows {
		out[r.MessageID] = desk.Delivery{MessageID: r.MessageID, State: desk.MailState(r.State), Attempts: r.Attempts, Answer: r.Answer, Recipient: r.Recipient}
	}
	return out, nil
}

// MarkBounced fails the mail that went out with headerID, with the bounce's reason, and returns its
// ticket and message (0, 0 when nothing of ours had that Message-ID).
func (s *Store) MarkBounced(ctx context.Context, headerID, reason string) (ticketID, messageID int64, err error) {
	err = s.write(ctx, func(tx *gorm.DB) error {
		var rows []struct{ MessageID, TicketID int64 }
		if err := tx.Raw(`SELECT o.message_id, o.ticket_id FROM mail_outbox o JOIN mail_headers h ON h.message_id = o.message_id WHERE h.header_id = ?`, headerID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return tx.Exec(`UPDATE mail_confirmations SET state = 'failed', answer = ? WHERE header_id = ?`, clipText(reason, 1000), headerID).Error
		}
		ticketID, messageID = rows[0].TicketID, rows[0].MessageID
		return tx.Exec(`UPDATE mail_outbox SET state = 'failed', answer = ?, updated_at = ? WHERE message_id = ?`, clipText(reason, 1000), s.now(), messageID).Error
	})
	return ticketID, messageID, err
}

// Signature is an agent's signature below mailed replies ("" when none).
func (s *Store) Signature(ctx context.Context, userID int64) (string, error) {
	var out []string
	err := s.r.WithContext(ctx).Raw(`SELECT body FROM mail_signatures WHERE user_id = ?`, userID).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return "", err
	}
	return out[0], nil
}

// SetSignature sets (or, empty, removes) an agent's signature.
func (s *Store) SetSignature(ctx context.Context, userID int64, body string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if body == "" {
			return tx.Exec(`DELETE FROM mail_signatures WHERE user_id = ?`, userID).Error
		}
		return tx.Exec(`INSERT INTO mail_signatures (user_id, body) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET body = excluded.body`, userID, body).Error
	})
}

// ConfirmationText is the admins' confirmation text in lang; ok is false when they wrote none.
func (s *Store) ConfirmationText(ctx context.Context, lang string) (subject, body string, ok bool, err error) {
	var rows []struct{ Subject, Body string }
	err = s.r.WithContext(ctx).Raw(`SELECT subject, body FROM mail_confirmation_texts WHERE lang = ?`, lang).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", "", false, err
	}
	return rows[0].Subject, rows[0].Body, true, nil
}

// SetConfirmationText stores the admins' confirmation text for lang.
func (s *Store) SetConfirmationText(ctx context.Context, lang, subject, body string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO mail_confirmation_texts (lang, subject, body, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (lang) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at`, lang, subject, body, s.now()).Error
	})
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
