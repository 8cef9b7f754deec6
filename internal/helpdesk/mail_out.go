package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/live"
	"coachdesk/internal/mail"
	"coachdesk/internal/store"
)

// Outbox tuning: how long a claim holds, how often the worker looks, and when it gives up.
const (
	mailLease    = 2 * time.Minute
	mailAttempts = 8
)

// Sender delivers a composed mail; mail.Relay is the real one.
type Sender interface {
	Send(from string, to []string, raw []byte) error
}

// RelayFor builds the sender of a mailbox; tests swap it to reach their own servers.
type RelayFor func(box desk.Mailbox, password string) Sender

// DefaultRelay is the mailbox's SMTP server as configured.
func DefaultRelay(box desk.Mailbox, password string) Sender {
	return mail.Relay{Host: box.SMTPHost, Port: box.SMTPPort, Security: box.SMTPSecurity, User: box.SMTPUser, Password: password}
}

// backoff is the wait before attempt n+1: 30 s, 1 min, 2 min … up to an hour.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// RunOutbox sends queued mail until ctx ends, looking every interval (and at once when woken).
func (m *Mail) RunOutbox(ctx context.Context, relay RelayFor, interval time.Duration, wake <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := m.SendDue(ctx, relay); err != nil && ctx.Err() == nil {
			m.log.Error("mail: outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// SendDue claims the mail that is due and sends it; it returns how many went out.
func (m *Mail) SendDue(ctx context.Context, relay RelayFor) (int, error) {
	st := m.desk.store
	due, err := st.ClaimMail(ctx, mailLease, 20)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, o := range due {
		state, answer, retry := m.sendOne(ctx, o, relay)
		if err := st.FinishMail(ctx, o.Kind, o.Key, state, answer, retry); err != nil {
			return sent, err
		}
		if state == desk.MailSent {
			sent++
		}
		if o.Kind == store.OutReply {
			m.desk.live.Publish(live.Event{Type: live.TypeTicket, TicketID: o.TicketID, MessageID: o.Key})
		}
	}
	return sent, nil
}

func (m *Mail) sendOne(ctx context.Context, o store.OutMail, relay RelayFor) (desk.MailState, string, time.Time) {
	fail := func(err error) (desk.MailState, string, time.Time) {
		var se *mail.SendError
		permanent := errors.As(err, &se) && se.Permanent
		if permanent || o.Attempts >= mailAttempts {
			m.log.Warn("mail: not delivered", "kind", o.Kind, "key", o.Key, "to", o.Recipient, "attempts", o.Attempts, "err", err)
			return desk.MailFailed, err.Error(), time.Time{}
		}
		m.log.Info("mail: delivery will be tried again", "kind", o.Kind, "key", o.Key, "attempts", o.Attempts, "err", err)
		return desk.MailQueued, err.Error(), time.Now().Add(backoff(o.Attempts))
	}
	box, err := m.desk.store.Mailbox(ctx, o.MailboxID)
	if err != nil {
		return desk.MailFailed, "the mailbox it was to leave from is gone", time.Time{}
	}
	_, sealed, err := m.desk.store.MailboxSecrets(ctx, box.ID)
	if err != nil {
		return fail(err)
	}
	password, err := m.sealer.Open(sealed, box.Address)
	if err != nil {
		return desk.MailFailed, err.Error(), time.Time{}
	}
	out := mail.Outgoing{FromAddress: box.Address, FromName: orDefault(box.Name, box.Address), To: o.Recipient, ToName: o.CustomerName,
		Subject: mail.SubjectFor(o.Subject, o.Number), MessageID: o.HeaderID, InReplyTo: o.InReplyTo, References: o.References, Date: time.Now()}
	if o.Kind == store.OutReply {
		out.FromName = fmt.Sprintf("%s, %s", o.AgentName, orDefault(box.Name, box.Address))
		out.Text = o.Body
		if sig := strings.TrimSpace(o.Signature); sig != "" {
			out.Text += "\n\n-- \n" + sig
		}
	} else {
		subject, body, err := m.Confirmation(ctx, o.Language, o.Number, o.Subject)
		if err != nil {
			return fail(err)
		}
		out.Subject, out.Text, out.Auto = subject, body, true
	}
	raw, err := mail.Compose(out)
	if err != nil {
		return desk.MailFailed, err.Error(), time.Time{}
	}
	if err := relay(box, password).Send(box.Address, []string{o.Recipient}, raw); err != nil {
		return fail(err)
	}
	return desk.MailSent, "", time.Time{}
}

// RetryMail queues a failed reply again and tells the ticket's pages. Errors: ENOTFOUND.
func (m *Mail) RetryMail(ctx context.Context, ticketID, messageID int64) (desk.Delivery, error) {
	d, err := m.desk.store.RetryMail(ctx, messageID)
	if err == nil {
		m.desk.live.Publish(live.Event{Type: live.TypeTicket, TicketID: ticketID, MessageID: messageID})
	}
	return d, err
}
