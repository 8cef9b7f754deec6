// Package mail reads and writes e-mail for the helpdesk: parsing what customers send (charsets,
// transfer encodings, alternatives, attachments, auto-replies and bounces), cutting quoted history,
// composing replies, and the IMAP poller, SMTP relay and SMTP listener that move them.
package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // ISO-8859-1, Windows-1252 and the rest, through x/text
	gomail "github.com/emersion/go-message/mail"
)

// Limits on what a received mail keeps.
const (
	MaxAttachment = 10 << 20 // a bigger file is listed, not kept
	MaxMessage    = 40 << 20 // the SMTP listener refuses bigger mail; a 25 MB attachment is ~34 MB encoded
	maxParts      = 200
)

// Kinds of mail that never open a ticket.
const (
	KindNormal    = ""
	KindAutoReply = "auto-reply"
	KindBulk      = "bulk"
	KindBounce    = "bounce"
)

// Parsed is a received mail as the helpdesk needs it.
type Parsed struct {
	From        string // the address, lower case
	FromName    string
	To          []string
	Subject     string
	MessageID   string // without angle brackets
	InReplyTo   []string
	References  []string
	Date        time.Time
	Text        string // the plain part (or the HTML's text when there is only HTML)
	HTML        string // the HTML part as sent; sanitised when shown
	Attachments []Attachment
	Kind        string // KindNormal, or why it must not open a ticket
	Bounce      *Bounce
	Problems    []string // parts that could not be read (an unknown charset, a broken part)
}

// Attachment is a file from a received mail; Data is nil when Omitted says why.
type Attachment struct {
	Filename    string
	ContentType string
	Size        int64
	Inline      bool
	ContentID   string
	Data        []byte
	Omitted     string
}

// Bounce is a delivery failure report about a mail we sent.
type Bounce struct {
	OriginalID string // the Message-ID of the mail that failed
	Reason     string // the server's words
}

// ErrMalformed is a mail whose header cannot be read at all.
var ErrMalformed = errors.New("mail: malformed message")

// Dedupe is the key a mail is taken once by: its Message-ID, else a hash of its bytes.
func Dedupe(raw []byte, messageID string) string {
	if messageID != "" {
		return "id:" + messageID
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Parse reads a raw mail. A header it cannot read is ErrMalformed; a broken part is named in
// Problems and the rest is kept.
func Parse(raw []byte) (*Parsed, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && e == nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	h := gomail.Header{Header: e.Header}
	p := &Parsed{}
	if err != nil {
		p.Problems = append(p.Problems, err.Error())
	}
	if err := p.readHeader(h); err != nil {
		return nil, err
	}
	p.Kind = classify(h, p)
	if err := p.walk(e); err != nil {
		p.Problems = append(p.Problems, err.Error())
	}
	if p.Text == "" && p.HTML != "" {
		p.Text = htmlText(p.HTML)
	}
	if p.Kind == KindBounce && p.Bounce == nil {
		p.Bounce = &Bounce{}
	}
	return p, nil
}

func (p *Parsed) readHeader(h gomail.Header) error {
	from, err := h.AddressList("From")
	if err != nil || len(from) == 0 {
		if v := h.Get("From"); v != "" {
			// A From no parser reads still says who wrote, in most cases: take its address-like word.
			if a := looseAddress(v); a != "" {
				from = []*gomail.Address{{Address: a}}
			}
		}
	}
	if len(from) == 0 {
		return fmt.Errorf("%w: no readable From", ErrMalformed)
	}
	p.From, p.FromName = strings.ToLower(from[0].Address), from[0].Name
	for _, key := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		list, _ := h.AddressList(key)
		for _, a := range list {
			p.To = append(p.To, strings.ToLower(a.Address))
		}
	}
	p.Subject, err = h.Subject()
	if err != nil {
		p.Subject = h.Get("Subject")
	}
	p.MessageID, _ = h.MessageID()
	p.InReplyTo, _ = h.MsgIDList("In-Reply-To")
	p.References, _ = h.MsgIDList("References")
	p.Date, _ = h.Date()
	return nil
}

// classify says why a mail must not open a ticket or be answered (RFC 3834, and what mailers send).
func classify(h gomail.Header, p *Parsed) string {
	ct, params, _ := h.ContentType()
	if ct == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
		return KindBounce
	}
	local := p.From
	if at := strings.IndexByte(local, '@'); at >= 0 {
		local = local[:at]
	}
	if local == "mailer-daemon" || local == "postmaster" {
		return KindBounce
	}
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return KindAutoReply
	}
	// X-Auto-Response-Suppress is not read: Outlook puts it on people's own mail, too.
	for _, key := range []string{"X-Autoreply", "X-Autorespond"} {
		if h.Get(key) != "" {
			return KindAutoReply
		}
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list":
		return KindBulk
	case "auto_reply":
		return KindAutoReply
	}
	if h.Get("List-Id") != "" || h.Get("List-Unsubscribe") != "" {
		return KindBulk
	}
	return KindNormal
}

func (p *Parsed) walk(root *message.Entity) error {
	parts := 0
	return root.Walk(func(path []int, e *message.Entity, err error) error {
		if parts++; parts > maxParts {
			return fmt.Errorf("more than %d parts; the rest is only in the original", maxParts)
		}
		if err != nil {
			p.Problems = append(p.Problems, fmt.Sprintf("part %v: %v", path, err))
		}
		ct, params, _ := e.Header.ContentType()
		if ct == "" {
			ct = "text/plain"
		}
		if strings.HasPrefix(ct, "multipart/") {
			return nil
		}
		disp, dparams, _ := e.Header.ContentDisposition()
		filename := dparams["filename"]
		if filename == "" {
			filename = params["name"]
		}
		switch {
		case ct == "message/delivery-status":
			p.readDeliveryStatus(e.Body)
			return nil
		case ct == "message/rfc822" && p.Kind == KindBounce, ct == "text/rfc822-headers":
			p.readOriginal(e.Body)
			return nil
		case disp != "attachment" && filename == "" && ct == "text/plain" && p.Text == "":
			p.Text = readText(e.Body, &p.Problems)
			return nil
		case disp != "attachment" && filename == "" && ct == "text/html" && p.HTML == "":
			p.HTML = readText(e.Body, &p.Problems)
			return nil
		}
		p.Attachments = append(p.Attachments, readAttachment(e, ct, disp, filename))
		return nil
	})
}

func readText(r io.Reader, problems *[]string) string {
	b, err := io.ReadAll(io.LimitReader(r, 2<<20))
	if err != nil {
		*problems = append(*problems, err.Error())
	}
	return strings.ToValidUTF8(strings.ReplaceAll(string(b), "\r\n", "\n"), "\uFFFD")
}

func readAttachment(e *message.Entity, ct, disp, filename string) Attachment {
	a := Attachment{Filename: filename, ContentType: ct, Inline: disp == "inline",
		ContentID: strings.Trim(e.Header.Get("Content-Id"), "<> ")}
	if a.Filename == "" {
		a.Filename = "attachment"
		if exts, _ := mime.ExtensionsByType(ct); len(exts) > 0 {
			a.Filename += exts[0]
		}
	}
	data, err := io.ReadAll(io.LimitReader(e.Body, MaxAttachment+1))
	a.Size = int64(len(data))
	switch {
	case err != nil:
		a.Omitted = "unreadable: " + err.Error()
		a.Data = nil
	case a.Size > MaxAttachment:
		n, _ := io.Copy(io.Discard, e.Body)
		a.Size += n
		a.Omitted = fmt.Sprintf("over the %d MB limit", MaxAttachment>>20)
	default:
		a.Data = data
		a.ContentType = checkedType(ct, data)
	}
	return a
}

// checkedType is the type the bytes are, when the sender's label says otherwise: a file called an
// image that is HTML is kept as what it is, and always served as a download.
func checkedType(declared string, data []byte) string {
	sniffed := sniff(data)
	if sniffed == "application/octet-stream" || strings.HasPrefix(sniffed, "text/plain") {
		return declared
	}
	if strings.SplitN(sniffed, ";", 2)[0] != declared {
		return strings.SplitN(sniffed, ";", 2)[0]
	}
	return declared
}

func (p *Parsed) readDeliveryStatus(r io.Reader) {
	p.ensureBounce()
	sc := bufio.NewScanner(io.LimitReader(r, 64<<10))
	for sc.Scan() {
		line := sc.Text()
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "diagnostic-code":
			p.Bounce.Reason = strings.TrimSpace(v)
		case "status":
			if p.Bounce.Reason == "" {
				p.Bounce.Reason = "status " + strings.TrimSpace(v)
			}
		}
	}
}

func (p *Parsed) readOriginal(r io.Reader) {
	p.ensureBounce()
	e, err := message.Read(io.LimitReader(r, 1<<20))
	if err != nil && e == nil {
		return
	}
	id, _ := (&gomail.Header{Header: e.Header}).MessageID()
	if id != "" {
		p.Bounce.OriginalID = id
	}
}

func (p *Parsed) ensureBounce() {
	if p.Bounce == nil {
		p.Bounce = &Bounce{}
	}
}

// looseAddress finds an address in a From header no parser accepts.
func looseAddress(v string) string {
	if i, j := strings.IndexByte(v, '<'), strings.LastIndexByte(v, '>'); i >= 0 && j > i {
		v = v[i+1 : j]
	}
	for _, f := range strings.Fields(v) {
		if at := strings.IndexByte(f, '@'); at > 0 && at < len(f)-1 {
			return strings.ToLower(strings.Trim(f, `"'<>(),;`))
		}
	}
	return ""
}
