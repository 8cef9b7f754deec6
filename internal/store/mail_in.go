package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// Outcomes of a received mail, as mail_inbound keeps them.
const (
	InTicket    = "ticket"    // it opened a ticket
	InReply     = "reply"     // it landed on an existing ticket
	InIgnored   = "ignored"   // an auto-reply or bulk mail
	InBounce    = "bounce"    // a delivery failure report
	InMalformed = "malformed" // unreadable; kept for a person
)

// InboundMail is a received mail as it is recorded: raw, with the headers that thread it and its files.
type InboundMail struct {
	MailboxID   int64
	Source      string // imap, smtp or test
	Dedupe      string // the Message-ID, else the raw's SHA-256: one row per mail, however often fetched
	Raw         []byte
	Outcome     string
	Note        string
	HeaderID    string
	InReplyTo   string
	Attachments []NewAttachment
}

// NewAttachment is a file to store with a message; Content is nil when Omitted says why.
type NewAttachment struct {
	desk.Attachment
	Content []byte
}

// ErrDuplicate is a mail that was taken before (the same Message-ID or bytes): nothing was written.
var ErrDuplicate = errors.New("store: this mail was taken before")

// TakenBefore reports whether a mail with dedupe was recorded already.
func (s *Store) TakenBefore(ctx context.Context, dedupe string) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Table("mail_inbound").Where("dedupe = ?", dedupe).Count(&n).Error
	return n > 0, err
}

// RecordInbound keeps a mail that made no message (ignored, a bounce, malformed). Errors: ErrDuplicate.
func (s *Store) RecordInbound(ctx context.Context, in InboundMail) error {
	return s.write(ctx, func(tx *gorm.DB) error { return recordInbound(tx, in, 0, s) })
}

func recordInbound(tx *gorm.DB, in InboundMail, messageID int64, s *Store) error {
	var msg, box any
	if messageID != 0 {
		msg = messageID
	}
	if in.MailboxID != 0 {
		box = in.MailboxID
	}
	res := tx.Exec(`INSERT INTO mail_inbound (mailbox_id, dedupe, source, outcome, note, message_id, raw, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe) DO NOTHING`, box, in.Dedupe, in.Source, in.Outcome, clipText(in.Note, 2000), msg, in.Raw, s.now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrDuplicate
	}
	return nil
}

// recordMail is what a mail that made a message writes beside it, in the message's transaction.
func (s *Store) recordMail(in InboundMail) func(tx *gorm.DB, t desk.Ticket, id int64) error {
	return func(tx *gorm.DB, t desk.Ticket, id int64) error {
		if err := recordInbound(tx, in, id, s); err != nil {
			return err
		}
		var box any
		if in.MailboxID != 0 {
			box = in.MailboxID
		}
		if in.HeaderID != "" {
			if err := tx.Exec(`INSERT INTO mail_headers (message_id, ticket_id, mailbox_id, header_id, in_reply_to) VALUES (?, ?, ?, ?, ?)`,
				id, t.ID, box, in.HeaderID, in.InReplyTo).Error; err != nil {
				return err
			}
		}
		for _, a := range in.Attachments {
			if err := tx.Exec(`INSERT INTO attachments (message_id, filename, content_type, size, inline, content_id, omitted, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				id, a.Filename, a.ContentType, a.Size, a.Inline, a.ContentID, a.Omitted, a.Content).Error; err != nil {
				return err
			}
		}
		return nil
	}
}

// CreateTicketFromMail opens a ticket from a received mail, recording the mail in the same transaction.
// Errors: ErrDuplicate (nothing written); as CreateTicket.
func (s *Store) CreateTicketFromMail(ctx context.Context, n desk.NewTicket, in InboundMail) (desk.Ticket, error) {
	in.Outcome = InTicket
	record := s.recordMail(in)
	return s.createTicket(ctx, n, func(tx *gorm.DB, t desk.Ticket, id int64) error { return record(tx, t, id) })
}

// AddMessageFromMail adds the customer's mailed answer to ticket number with the mail, in one transaction.
// Errors: ErrDuplicate (nothing written); as AddMessage.
func (s *Store) AddMessageFromMail(ctx context.Context, number int64, m desk.NewMessage, in InboundMail) (desk.Message, error) {
	in.Outcome = InReply
	return s.addMessage(ctx, number, m, s.recordMail(in))
}

// TicketByHeaders is the ticket number one of our Message-IDs belongs to (0 when none does): the
// customer's mail answers it in In-Reply-To or References. The newest matching header wins.
func (s *Store) TicketByHeaders(ctx context.Context, headerIDs []string) (int64, error) {
	if len(headerIDs) == 0 {
		return 0, nil
	}
	var out []int64
	err := s.r.WithContext(ctx).Raw(`SELECT t.number FROM tickets t WHERE t.id IN (
			SELECT ticket_id FROM mail_headers WHERE header_id IN ? UNION SELECT ticket_id FROM mail_confirmations WHERE header_id IN ?)
		ORDER BY t.id DESC LIMIT 1`, headerIDs, headerIDs).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return 0, err
	}
	return out[0], nil
}

// InboundRaw is the mail a message came in as, byte for byte. Errors: ENOTFOUND.
func (s *Store) InboundRaw(ctx context.Context, messageID int64) ([]byte, error) {
	var rows []struct{ Raw []byte }
	err := s.r.WithContext(ctx).Raw(`SELECT raw FROM mail_inbound WHERE message_id = ?`, messageID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: raw mail of %d: %w", messageID, err)
	}
	if len(rows) == 0 {
		return nil, desk.Errorf(desk.ENOTFOUND, "", "Message %d did not come by mail.", messageID)
	}
	return rows[0].Raw, nil
}

// InboundOutcomes counts received mail by outcome (for the admin page and tests).
func (s *Store) InboundOutcomes(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Outcome string
		N       int
	}
	err := s.r.WithContext(ctx).Raw(`SELECT outcome, COUNT(*) AS n FROM mail_inbound GROUP BY outcome`).Scan(&rows).Error
	out := map[string]int{}
	for _, r := range rows {
		out[r.Outcome] = r.N
	}
	return out, err
}

// Attachments are a ticket's files by message id, without their content.
func (s *Store) Attachments(ctx context.Context, ticketID int64) (map[int64][]desk.Attachment, error) {
	var rows []desk.Attachment
	err := s.r.WithContext(ctx).Raw(`SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.inline, a.content_id, a.omitted
		FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = ? ORDER BY a.id`, ticketID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: attachments of %d: %w", ticketID, err)
	}
	out := map[int64][]desk.Attachment{}
	for _, a := range rows {
		out[a.MessageID] = append(out[a.MessageID], a)
	}
	return out, nil
}

// AttachmentContent loads one file with its ticket's id. Errors: ENOTFOUND (also when it was not kept).
func (s *Store) AttachmentContent(ctx context.Context, id int64) (desk.Attachment, int64, []byte, error) {
	var rows []struct {
		desk.Attachment
		TicketID int64
		Content  []byte
	}
	err := s.r.WithContext(ctx).Raw(`SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.inline, a.content_id, a.omitted, a.content, m.ticket_id
		FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?`, id).Scan(&rows).Error
	if err != nil {
		return desk.Attachment{}, 0, nil, fmt.Errorf("store: attachment %d: %w", id, err)
	}
	if len(rows) == 0 || rows[0].Omitted != "" {
		return desk.Attachment{}, 0, nil, desk.Errorf(desk.ENOTFOUND, "", "Attachment %d is not kept.", id)
	}
	return rows[0].Attachment, rows[0].TicketID, rows[0].Content, nil
}

// MailedMessages are the ids of a ticket's messages that came by mail (their original is kept).
func (s *Store) MailedMessages(ctx context.Context, ticketID int64) (map[int64]bool, error) {
	var ids []int64
	err := s.r.WithContext(ctx).Raw(`SELECT i.message_id FROM mail_inbound i JOIN messages m ON m.id = i.message_id WHERE m.ticket_id = ?`, ticketID).Scan(&ids).Error
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// InboundRawOf is the mail a message came in as, with the message's ticket id. Errors: ENOTFOUND.
func (s *Store) InboundRawOf(ctx context.Context, messageID int64) ([]byte, int64, error) {
	var rows []struct {
		Raw      []byte
		TicketID int64
	}
	err := s.r.WithContext(ctx).Raw(`SELECT i.raw, m.ticket_id FROM mail_inbound i JOIN messages m ON m.id = i.message_id WHERE i.message_id = ?`, messageID).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: raw mail of %d: %w", messageID, err)
	}
	if len(rows) == 0 {
		return nil, 0, desk.Errorf(desk.ENOTFOUND, "", "Message %d did not come by mail.", messageID)
	}
	return rows[0].Raw, rows[0].TicketID, nil
}
