package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"coachdesk/internal/desk"
	"coachdesk/internal/live"
	"coachdesk/internal/mail"
	"coachdesk/internal/store"
)

// Mail is the e-mail channel over the helpdesk: mailboxes, received mail and the outbox.
// It goes through the same store writes and announcements as every other way in.
type Mail struct {
	desk   *Service
	sealer *mail.Sealer
	log    *slog.Logger
}

// NewMail is the mail channel of s; sealer seals and opens mailbox passwords.
func NewMail(s *Service, sealer *mail.Sealer, log *slog.Logger) *Mail {
	if log == nil {
		log = slog.Default()
	}
	if sealer == nil {
		sealer = &mail.Sealer{}
	}
	return &Mail{desk: s, sealer: sealer, log: log}
}

// Received is what became of one received mail.
type Received struct {
	Outcome  string // store.InTicket, InReply, InIgnored, InBounce, InMalformed, or "duplicate"
	Number   int64  // the ticket it opened or landed on
	Message  int64
	Problems []string
}

// Duplicate is the outcome of a mail that was taken before.
const Duplicate = "duplicate"

var subjectNumber = regexp.MustCompile(`\[#(\d{1,12})\]`)

// Receive takes one received mail: it threads it onto its ticket (our Message-IDs in In-Reply-To or
// References, then [#number] in the subject) or opens a ticket, and keeps the raw mail beside it.
// Auto-replies and bulk mail are kept but open nothing; a bounce fails the mail it reports on; a
// malformed mail is kept, logged and opens nothing. Taking the same mail twice writes nothing.
// Errors: only a failed write (the caller keeps the mail for the next poll).
func (m *Mail) Receive(ctx context.Context, mailboxID int64, source string, raw []byte) (Received, error) {
	st := m.desk.store
	p, perr := mail.Parse(raw)
	if perr != nil {
		dedupe := mail.Dedupe(raw, "")
		m.log.Warn("mail: malformed message kept, no ticket opened", "mailbox", mailboxID, "source", source, "bytes", len(raw), "dedupe", dedupe, "err", perr)
		err := st.RecordInbound(ctx, store.InboundMail{MailboxID: mailboxID, Source: source, Dedupe: dedupe, Raw: raw, Outcome: store.InMalformed, Note: perr.Error()})
		return m.result(store.InMalformed, 0, 0, nil, err)
	}
	in := store.InboundMail{MailboxID: mailboxID, Source: source, Dedupe: mail.Dedupe(raw, p.MessageID), Raw: raw,
		HeaderID: p.MessageID, Attachments: attachments(p.Attachments)}
	if len(p.InReplyTo) > 0 {
		in.InReplyTo = p.InReplyTo[0]
	}
	if taken, err := st.TakenBefore(ctx, in.Dedupe); err != nil || taken {
		return m.result(Duplicate, 0, 0, nil, err)
	}
	if len(p.Problems) > 0 {
		m.log.Warn("mail: parts of a message could not be read; the original is kept", "from", p.From, "message_id", p.MessageID, "problems", strings.Join(p.Problems, "; "))
	}
	switch p.Kind {
	case mail.KindBounce:
		in.Outcome, in.Note = store.InBounce, p.Bounce.Reason
		err := st.RecordInbound(ctx, in)
		if err == nil && p.Bounce.OriginalID != "" {
			ticketID, msgID, berr := st.MarkBounced(ctx, p.Bounce.OriginalID, "bounced: "+orDefault(p.Bounce.Reason, "the recipient's server returned the mail"))
			if berr != nil {
				return Received{}, berr
			}
			if msgID != 0 {
				m.desk.live.Publish(live.Event{Type: live.TypeTicket, TicketID: ticketID, MessageID: msgID})
			}
		}
		return m.result(store.InBounce, 0, 0, p.Problems, err)
	case mail.KindAutoReply, mail.KindBulk:
		in.Outcome, in.Note = store.InIgnored, p.Kind
		return m.result(store.InIgnored, 0, 0, p.Problems, st.RecordInbound(ctx, in))
	}
	body, html := messageBody(p)
	number, err := m.thread(ctx, p)
	if err != nil {
		return Received{}, err
	}
	if number != 0 {
		sent, err := st.AddMessageFromMail(ctx, number, desk.NewMessage{Kind: desk.KindReply, Body: body, HTML: html}, in)
		if e, ok := desk.AsError(err); ok && e.Code == desk.ECONFLICT {
			number = 0 // a closed ticket: the customer's mail opens a new one
		} else {
			if err == nil {
				m.desk.announceMessage(sent, 0)
			}
			return m.result(store.InReply, number, sent.ID, p.Problems, err)
		}
	}
	subject := strings.TrimSpace(subjectNumber.ReplaceAllString(p.Subject, ""))
	if subject == "" {
		subject = "(no subject)"
	}
	n := desk.NewTicket{Subject: subject, Body: body, HTML: html, CustomerName: orDefault(p.FromName, p.From), CustomerEmail: p.From, Channel: desk.ChannelEmail}
	n.Language = m.desk.Coach().DetectLanguage(n.Subject + "\n" + p.Text)
	t, err := st.CreateTicketFromMail(ctx, n, in)
	if err == nil {
		m.desk.announceCreated(t)
	}
	return m.result(store.InTicket, t.Number, 0, p.Problems, err)
}

func (m *Mail) result(outcome string, number, msg int64, problems []string, err error) (Received, error) {
	if errors.Is(err, store.ErrDuplicate) {
		return Received{Outcome: Duplicate}, nil
	}
	if err != nil {
		return Received{}, fmt.Errorf("mail: receive: %w", err)
	}
	return Received{Outcome: outcome, Number: number, Message: msg, Problems: problems}, nil
}

// thread finds the ticket a mail answers: by our Message-IDs, then by the number in its subject.
func (m *Mail) thread(ctx context.Context, p *mail.Parsed) (int64, error) {
	ids := append(append([]string{}, p.InReplyTo...), p.References...)
	if n, err := m.desk.store.TicketByHeaders(ctx, ids); err != nil || n != 0 {
		return n, err
	}
	if sm := subjectNumber.FindStringSubmatch(p.Subject); sm != nil {
		n, _ := strconv.ParseInt(sm[1], 10, 64)
		t, err := m.desk.store.Ticket(ctx, n)
		if err == nil && strings.EqualFold(t.Customer.Email, p.From) {
			return n, nil
		}
		// A number that is not the sender's ticket is not followed: anyone can type one.
	}
	return 0, nil
}

// messageBody is what the thread shows: the HTML (sanitised when shown) or the text, each with the
// quoted history cut off; the whole original stays in the raw mail.
func messageBody(p *mail.Parsed) (string, bool) {
	if strings.TrimSpace(p.HTML) != "" {
		h, _ := mail.CutQuotedHTML(p.HTML)
		return clip(h, desk.MaxBody), true
	}
	text, _ := mail.CutQuoted(p.Text)
	if text == "" {
		text = "(no text)"
	}
	return clip(text, desk.MaxBody), false
}

func attachments(in []mail.Attachment) []store.NewAttachment {
	out := make([]store.NewAttachment, len(in))
	for i, a := range in {
		out[i] = store.NewAttachment{Attachment: desk.Attachment{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size,
			Inline: a.Inline, ContentID: a.ContentID, Omitted: a.Omitted}, Content: a.Data}
	}
	return out
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return s
}
