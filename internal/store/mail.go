package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

type mailboxRow struct {
	ID           int64
	Address      string
	Name         string
	IMAPHost     string `gorm:"column:imap_host"`
	IMAPPort     int    `gorm:"column:imap_port"`
	IMAPSecurity string `gorm:"column:imap_security"`
	IMAPUser     string `gorm:"column:imap_user"`
	IMAPSecret   []byte `gorm:"column:imap_secret"`
	IMAPFolder   string `gorm:"column:imap_folder"`
	IMAPDone     string `gorm:"column:imap_done"`
	SMTPHost     string `gorm:"column:smtp_host"`
	SMTPPort     int    `gorm:"column:smtp_port"`
	SMTPSecurity string `gorm:"column:smtp_security"`
	SMTPUser     string `gorm:"column:smtp_user"`
	SMTPSecret   []byte `gorm:"column:smtp_secret"`
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (mailboxRow) TableName() string { return "mailboxes" }

func (r mailboxRow) mailbox() desk.Mailbox {
	return desk.Mailbox{ID: r.ID, Address: r.Address, Name: r.Name, IMAPHost: r.IMAPHost, IMAPPort: r.IMAPPort,
		IMAPSecurity: r.IMAPSecurity, IMAPUser: r.IMAPUser, IMAPFolder: r.IMAPFolder, IMAPDone: r.IMAPDone,
		SMTPHost: r.SMTPHost, SMTPPort: r.SMTPPort, SMTPSecurity: r.SMTPSecurity, SMTPUser: r.SMTPUser,
		Active: r.Active, HasIMAPSecret: len(r.IMAPSecret) > 0, HasSMTPSecret: len(r.SMTPSecret) > 0, CreatedAt: r.CreatedAt}
}

// SaveMailbox creates (id 0) or edits a mailbox. The secrets come sealed; nil keeps the stored one.
// Errors: EINVALID naming the field; ECONFLICT naming address when another mailbox has it; ENOTFOUND.
func (s *Store) SaveMailbox(ctx context.Context, id int64, in desk.MailboxInput, imapSecret, smtpSecret []byte) (desk.Mailbox, error) {
	if err := in.Normalize(); err != nil {
		return desk.Mailbox{}, err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&mailboxRow{}).Where("address = ? AND id <> ?", in.Address, id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return desk.Errorf(desk.ECONFLICT, "address", "Another mailbox already has %s.", in.Address)
		}
		now := s.now()
		row := mailboxRow{ID: id, CreatedAt: now}
		if id != 0 {
			if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
				return notFound(err, "Mailbox %d does not exist.", id)
			}
		}
		row.Address, row.Name, row.Active, row.UpdatedAt = in.Address, in.Name, in.Active, now
		row.IMAPHost, row.IMAPPort, row.IMAPSecurity, row.IMAPUser = in.IMAPHost, in.IMAPPort, in.IMAPSecurity, in.IMAPUser
		row.IMAPFolder, row.IMAPDone = in.IMAPFolder, in.IMAPDone
		row.SMTPHost, row.SMTPPort, row.SMTPSecurity, row.SMTPUser = in.SMTPHost, in.SMTPPort, in.SMTPSecurity, in.SMTPUser
		if imapSecret != nil {
			row.IMAPSecret = imapSecret
		}
		if smtpSecret != nil {
			row.SMTPSecret = smtpSecret
		}
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		id = row.ID
		return nil
	})
	if err != nil {
		return desk.Mailbox{}, fmt.Errorf("store: save mailbox: %w", err)
	}
	return s.Mailbox(ctx, id)
}

// Mailboxes lists every mailbox by address.
func (s *Store) Mailboxes(ctx context.Context) ([]desk.Mailbox, error) {
	var rows []mailboxRow
	if err := s.r.WithContext(ctx).Order("address").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: mailboxes: %w", err)
	}
	out := make([]desk.Mailbox, len(rows))
	for i, r := range rows {
		out[i] = r.mailbox()
	}
	return out, nil
}

// Mailbox loads one mailbox. Errors: ENOTFOUND.
func (s *Store) Mailbox(ctx context.Context, id int64) (desk.Mailbox, error) {
	var row mailboxRow
	err := s.r.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	return row.mailbox(), notFound(err, "Mailbox %d does not exist.", id)
}

// MailboxByAddress finds the active mailbox with address. Errors: ENOTFOUND.
func (s *Store) MailboxByAddress(ctx context.Context, address string) (desk.Mailbox, error) {
	var row mailboxRow
	err := s.r.WithContext(ctx).Where("address = ? AND active", strings.TrimSpace(address)).Take(&row).Error
	return row.mailbox(), notFound(err, "No mailbox has %s.", address)
}

// MailboxSecrets are a mailbox's sealed IMAP and SMTP passwords, for the code that logs in.
func (s *Store) MailboxSecrets(ctx context.Context, id int64) (imap, smtp []byte, err error) {
	var row mailboxRow
	err = s.r.WithContext(ctx).Select("imap_secret", "smtp_secret").Where("id = ?", id).Take(&row).Error
	return row.IMAPSecret, row.SMTPSecret, notFound(err, "Mailbox %d does not exist.", id)
}

// DeleteMailbox removes a mailbox; mail it brought in stays. Errors: ENOTFOUND.
func (s *Store) DeleteMailbox(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&mailboxRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return desk.Errorf(desk.ENOTFOUND, "", "Mailbox %d does not exist.", id)
		}
		return res.Error
	})
}

// sendingMailbox is the mailbox a ticket's mail leaves from: the one its customer last wrote to,
// else the first active one that can send. 0: no mail leaves.
func sendingMailbox(tx *gorm.DB, ticketID int64) (int64, string, error) {
	var rows []struct {
		ID      int64
		Address string
	}
	err := tx.Raw(`SELECT b.id, b.address FROM mailboxes b WHERE b.active AND b.smtp_host <> ''
		ORDER BY b.id = (SELECT h.mailbox_id FROM mail_headers h WHERE h.ticket_id = ? AND h.mailbox_id IS NOT NULL ORDER BY h.message_id DESC LIMIT 1) DESC, b.id LIMIT 1`, ticketID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, "", err
	}
	return rows[0].ID, rows[0].Address, nil
}

// NewHeaderID makes a Message-ID (without brackets) at the mailbox's domain that names the ticket.
func NewHeaderID(number int64, address string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	domain := "coachdesk.invalid"
	if at := strings.LastIndexByte(address, '@'); at >= 0 {
		domain = address[at+1:]
	}
	return fmt.Sprintf("coachdesk.%d.%s@%s", number, hex.EncodeToString(b[:]), domain)
}

// queueOutbound puts an agent's public reply in the outbox in the reply's own transaction, when the
// customer has an address and a mailbox can send. A note, or the customer's own message, never leaves.
func queueOutbound(tx *gorm.DB, t desk.Ticket, m desk.NewMessage, id int64, now time.Time) error {
	if m.Kind != desk.KindReply || m.UserID == 0 || t.Customer.Email == "" {
		return nil
	}
	mailboxID, address, err := sendingMailbox(tx, t.ID)
	if err != nil || mailboxID == 0 {
		return err
	}
	var inReplyTo []string
	if err := tx.Raw(`SELECT header_id FROM mail_headers WHERE ticket_id = ? ORDER BY message_id DESC LIMIT 1`, t.ID).Scan(&inReplyTo).Error; err != nil {
		return err
	}
	h := struct{ InReplyTo string }{}
	if len(inReplyTo) > 0 {
		h.InReplyTo = inReplyTo[0]
	}
	if err := tx.Exec(`INSERT INTO mail_headers (message_id, ticket_id, mailbox_id, header_id, in_reply_to) VALUES (?, ?, ?, ?, ?)`,
		id, t.ID, mailboxID, NewHeaderID(t.Number, address), h.InReplyTo).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO mail_outbox (message_id, ticket_id, mailbox_id, recipient, state, next_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`, id, t.ID, mailboxID, t.Customer.Email, now, now, now).Error
}

// queueConfirmation queues the acknowledgment a customer gets for a ticket they opened (by mail or
// the form), once per ticket, when a mailbox can send. Its text is written when it is sent.
func queueConfirmation(tx *gorm.DB, ticketID, number int64, email string, now time.Time) error {
	if email == "" {
		return nil
	}
	mailboxID, address, err := sendingMailbox(tx, ticketID)
	if err != nil || mailboxID == 0 {
		return err
	}
	return tx.Exec(`INSERT INTO mail_confirmations (ticket_id, mailbox_id, header_id, recipient, state, next_at, created_at)
		VALUES (?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (ticket_id) DO NOTHING`, ticketID, mailboxID, NewHeaderID(number, address), email, now, now).Error
}
