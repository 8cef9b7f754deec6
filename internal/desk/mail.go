package desk

import (
	"net/mail"
	"strings"
	"time"
)

// Mailbox is a support address: how its mail arrives (IMAP, or the SMTP listener) and leaves (SMTP).
// The secrets are never read back for display; HasIMAPSecret and HasSMTPSecret say whether one is set.
type Mailbox struct {
	ID            int64
	Address       string
	Name          string // the display name in From, e.g. "Kundeservice"
	IMAPHost      string
	IMAPPort      int
	IMAPSecurity  string // tls, starttls or none
	IMAPUser      string
	IMAPFolder    string
	IMAPDone      string // the folder taken mail moves to; "" flags it and leaves it
	SMTPHost      string
	SMTPPort      int
	SMTPSecurity  string
	SMTPUser      string
	Active        bool
	HasIMAPSecret bool
	HasSMTPSecret bool
	CreatedAt     time.Time
}

// Security modes for a mailbox's IMAP and SMTP connections.
var Securities = []string{"tls", "starttls", "none"}

// MailboxInput is a mailbox as an admin types it; an empty secret keeps the stored one.
type MailboxInput struct {
	Address, Name                                              string
	IMAPHost                                                   string
	IMAPPort                                                   int
	IMAPSecurity, IMAPUser, IMAPPassword, IMAPFolder, IMAPDone string
	SMTPHost                                                   string
	SMTPPort                                                   int
	SMTPSecurity, SMTPUser, SMTPPassword                       string
	Active                                                     bool
}

// Normalize trims the input, fills defaults and reports the first thing wrong with it.
func (in *MailboxInput) Normalize() error {
	for _, p := range []*string{&in.Address, &in.Name, &in.IMAPHost, &in.IMAPSecurity, &in.IMAPUser, &in.IMAPFolder, &in.IMAPDone, &in.SMTPHost, &in.SMTPSecurity, &in.SMTPUser} {
		*p = strings.TrimSpace(*p)
	}
	in.Address = strings.ToLower(in.Address)
	if a, err := mail.ParseAddress(in.Address); err != nil || a.Address != in.Address {
		return Errorf(EINVALID, "address", "%q is not an e-mail address.", in.Address)
	}
	if in.IMAPSecurity == "" {
		in.IMAPSecurity = "tls"
	}
	if in.SMTPSecurity == "" {
		in.SMTPSecurity = "starttls"
	}
	if in.IMAPFolder == "" {
		in.IMAPFolder = "INBOX"
	}
	if in.IMAPPort == 0 {
		in.IMAPPort = map[string]int{"tls": 993, "starttls": 143, "none": 143}[in.IMAPSecurity]
	}
	if in.SMTPPort == 0 {
		in.SMTPPort = map[string]int{"tls": 465, "starttls": 587, "none": 25}[in.SMTPSecurity]
	}
	switch {
	case !validSecurity(in.IMAPSecurity):
		return Errorf(EINVALID, "imap_security", "Use tls, starttls or none.")
	case !validSecurity(in.SMTPSecurity):
		return Errorf(EINVALID, "smtp_security", "Use tls, starttls or none.")
	case in.IMAPPort < 1 || in.IMAPPort > 65535:
		return Errorf(EINVALID, "imap_port", "A port is a number from 1 to 65535.")
	case in.SMTPPort < 1 || in.SMTPPort > 65535:
		return Errorf(EINVALID, "smtp_port", "A port is a number from 1 to 65535.")
	case in.IMAPHost != "" && in.IMAPUser == "":
		return Required("imap_user", "Give the IMAP user name.")
	}
	return nil
}

func validSecurity(s string) bool { return s == "tls" || s == "starttls" || s == "none" }

// MailState is where a public reply is on its way to the customer's inbox.
type MailState string

const (
	MailQueued  MailState = "queued"
	MailSending MailState = "sending"
	MailSent    MailState = "sent"
	MailFailed  MailState = "failed"
)

// Delivery is a message's outbox row as the thread shows it.
type Delivery struct {
	MessageID int64
	State     MailState
	Attempts  int
	Answer    string // the server's last answer
	Recipient string
}

// Attachment is a file that came with a customer's mail; Omitted says why its content was not kept.
type Attachment struct {
	ID          int64
	MessageID   int64
	Filename    string
	ContentType string
	Size        int64
	Inline      bool
	ContentID   string
	Omitted     string
}

// Viewable reports whether the file is a kept raster picture the app may show as it is: a mail's
// inline image. SVG is not one (it can carry script), nor is anything else a browser would run.
func (a Attachment) Viewable() bool {
	if a.Omitted != "" {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(a.ContentType)) {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}
