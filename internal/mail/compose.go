package mail

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

// Outgoing is a mail to a customer as the outbox writes it.
type Outgoing struct {
	FromAddress string // the mailbox
	FromName    string // "Anna, Kundeservice"
	To          string
	ToName      string
	Subject     string
	MessageID   string // without brackets
	InReplyTo   string
	References  []string
	Text        string
	Auto        bool // a confirmation: marked Auto-Submitted so the customer's autoresponder stays quiet
	Date        time.Time
}

// SubjectFor is the subject a reply carries: the ticket's, answered, with its number to thread by.
func SubjectFor(subject string, number int64) string {
	tag := fmt.Sprintf("[#%d]", number)
	if strings.Contains(subject, tag) {
		return subject
	}
	s := strings.TrimSpace(subject)
	if !hasReplyPrefix(s) {
		s = "Re: " + s
	}
	return s + " " + tag
}

func hasReplyPrefix(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "re:") || strings.HasPrefix(l, "sv:") || strings.HasPrefix(l, "vs:") || strings.HasPrefix(l, "aw:")
}

// Compose writes the mail with its plain and HTML parts.
func Compose(o Outgoing) ([]byte, error) {
	var h gomail.Header
	h.SetDate(o.Date)
	h.SetAddressList("From", []*gomail.Address{{Name: o.FromName, Address: o.FromAddress}})
	h.SetAddressList("Reply-To", []*gomail.Address{{Address: o.FromAddress}})
	h.SetAddressList("To", []*gomail.Address{{Name: o.ToName, Address: o.To}})
	h.SetSubject(o.Subject)
	h.SetMessageID(o.MessageID)
	if o.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{o.InReplyTo})
	}
	if len(o.References) > 0 {
		h.SetMsgIDList("References", o.References)
	}
	if o.Auto {
		h.Set("Auto-Submitted", "auto-replied")
	}
	h.Set("X-Auto-Response-Suppress", "OOF, AutoReply")
	var buf bytes.Buffer
	w, err := gomail.CreateWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	alt, err := w.CreateInline()
	if err != nil {
		return nil, err
	}
	for _, part := range []struct{ ct, body string }{{"text/plain", o.Text}, {"text/html", textHTML(o.Text)}} {
		var ph gomail.InlineHeader
		ph.SetContentType(part.ct, map[string]string{"charset": "utf-8"})
		pw, err := alt.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		if _, err := pw.Write([]byte(part.body)); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := alt.Close(); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// textHTML is a plain reply as simple HTML: paragraphs and line breaks, everything escaped.
func textHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><body style="font-family:sans-serif">`)
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}
