package helpdesk

import (
	"context"

	"coachdesk/internal/desk"
)

// SaveMailbox creates (id 0) or edits a mailbox, sealing the passwords given; an empty password keeps
// the stored one. Errors: mail.ErrNoKey for a password without COACHDESK_SECRET_KEY; EINVALID naming
// the field; ECONFLICT naming address; ENOTFOUND.
func (m *Mail) SaveMailbox(ctx context.Context, id int64, in desk.MailboxInput) (desk.Mailbox, error) {
	if err := in.Normalize(); err != nil {
		return desk.Mailbox{}, err
	}
	var imapSecret, smtpSecret []byte
	var err error
	if in.IMAPPassword != "" {
		if imapSecret, err = m.sealer.Seal(in.IMAPPassword, in.Address); err != nil {
			return desk.Mailbox{}, err
		}
	}
	if in.SMTPPassword != "" {
		if smtpSecret, err = m.sealer.Seal(in.SMTPPassword, in.Address); err != nil {
			return desk.Mailbox{}, err
		}
	}
	return m.desk.store.SaveMailbox(ctx, id, in, imapSecret, smtpSecret)
}

// Passwords opens a mailbox's IMAP and SMTP passwords for the code that signs in.
func (m *Mail) Passwords(ctx context.Context, box desk.Mailbox) (imap, smtp string, err error) {
	si, ss, err := m.desk.store.MailboxSecrets(ctx, box.ID)
	if err != nil {
		return "", "", err
	}
	if imap, err = m.sealer.Open(si, box.Address); err != nil {
		return "", "", err
	}
	smtp, err = m.sealer.Open(ss, box.Address)
	return imap, smtp, err
}

// CanSeal reports whether a secret key is set, so passwords can be stored.
func (m *Mail) CanSeal() bool { return m.sealer.CanSeal() }
