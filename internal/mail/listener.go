package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// Listener takes mail forwarded or routed straight to Coachdesk over SMTP: only for the configured
// addresses, up to MaxMessage bytes, with no relaying anywhere else.
type Listener struct {
	// Mailbox is the mailbox that takes mail for rcpt; ok false refuses the recipient.
	Mailbox func(ctx context.Context, rcpt string) (id int64, ok bool)
	// Deliver takes one mail for a mailbox; an error answers 451 so the sender tries again.
	Deliver  func(ctx context.Context, mailboxID int64, raw []byte) error
	Domain   string
	MaxBytes int64
	Log      *slog.Logger
	TLS      *tls.Config // offered as STARTTLS when set; without it the listener speaks plain SMTP

	server *smtp.Server
}

// Serve answers SMTP on ln until ctx ends.
func (l *Listener) Serve(ctx context.Context, ln net.Listener) error {
	if l.MaxBytes == 0 {
		l.MaxBytes = MaxMessage
	}
	if l.Log == nil {
		l.Log = slog.Default()
	}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{l: l, ctx: ctx}, nil
	}))
	s.Domain = l.Domain
	if s.Domain == "" {
		s.Domain = "coachdesk"
	}
	s.TLSConfig = l.TLS
	s.MaxMessageBytes = l.MaxBytes
	s.MaxRecipients = 20
	s.ReadTimeout, s.WriteTimeout = 5*time.Minute, time.Minute
	l.server = s
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-done:
		}
	}()
	err := s.Serve(ln)
	if ctx.Err() != nil || errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

type session struct {
	l     *Listener
	ctx   context.Context
	boxes []int64
}

func (s *session) Reset()        { s.boxes = nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	id, ok := s.l.Mailbox(s.ctx, to)
	if !ok {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No support address here by that name"}
	}
	for _, b := range s.boxes {
		if b == id {
			return nil
		}
	}
	s.boxes = append(s.boxes, id)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // ErrDataTooLarge answers 552 itself
	}
	for _, id := range s.boxes {
		if err := s.l.Deliver(s.ctx, id, raw); err != nil {
			s.l.Log.Error("mail: smtp listener could not take a mail", "mailbox", id, "err", err)
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Could not take the message now, try again later"}
		}
	}
	return nil
}
