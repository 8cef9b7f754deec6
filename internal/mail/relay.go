package mail

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Relay is a mailbox's SMTP server for mail out.
type Relay struct {
	Host      string
	Port      int
	Security  string // tls, starttls or none
	User      string
	Password  string
	TLSConfig *tls.Config // nil: verify the host's certificate as usual
}

// SendError is how a send failed; Permanent is a 5xx answer that retrying will not change.
type SendError struct {
	Permanent bool
	Answer    string
}

func (e *SendError) Error() string { return e.Answer }

// Send delivers raw from from to the recipients through the relay.
func (r Relay) Send(from string, to []string, raw []byte) error {
	addr := net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	cfg := r.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: r.Host}
	}
	var c *smtp.Client
	var err error
	switch r.Security {
	case "tls":
		c, err = smtp.DialTLS(addr, cfg)
	case "starttls":
		c, err = smtp.DialStartTLS(addr, cfg)
	default:
		c, err = smtp.Dial(addr)
	}
	if err != nil {
		return answer(fmt.Errorf("connect to %s: %w", addr, err))
	}
	defer c.Close()
	c.CommandTimeout = time.Minute
	c.SubmissionTimeout = 5 * time.Minute
	if r.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", r.User, r.Password)); err != nil {
			return answer(fmt.Errorf("sign in as %s: %w", r.User, err))
		}
	}
	if err := c.SendMail(from, to, bytes.NewReader(raw)); err != nil {
		return answer(err)
	}
	_ = c.Quit()
	return nil
}

func answer(err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return &SendError{Permanent: se.Code >= 500, Answer: err.Error()}
	}
	return &SendError{Answer: err.Error()}
}
