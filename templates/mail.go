package templates

import (
	"fmt"

	"coachdesk/internal/desk"
)

// TicketMail is what the e-mail channel adds to a ticket's thread, by message id.
type TicketMail struct {
	Deliveries  map[int64]desk.Delivery     // the outbox state of replies that go out by mail
	Attachments map[int64][]desk.Attachment // files that came with the customer's mail
	Original    map[int64]bool              // the message came by mail; its original is viewable
}

// MailboxesPage is the admins' list of support addresses and the form for one.
type MailboxesPage struct {
	Page
	Mailboxes []desk.Mailbox
	Form      MailboxForm
	Saved     string // the address just saved
	KeySet    bool   // COACHDESK_SECRET_KEY is set, so passwords can be stored
}

// MailboxForm keeps what the admin typed (never a password) across a refused save.
type MailboxForm struct {
	ID     int64
	In     desk.MailboxInput
	Errors FieldErrors
}

// inlinePart is where a picture sent inside message id's mail is kept, found by its Content-ID
// ("" for a part that did not come, was not kept, or is no picture).
func (m TicketMail) inlinePart(id int64) func(contentID string) string {
	return func(contentID string) string {
		for _, a := range m.Attachments[id] {
			if a.ContentID == contentID && a.Viewable() {
				return "/attachments/" + itoa(a.ID) + "?view=inline"
			}
		}
		return ""
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// ConfirmationPage is the admins' editor of the acknowledgment a new ticket's customer gets, per language.
type ConfirmationPage struct {
	Page
	Lang    string
	Langs   []string
	Subject string
	Body    string
	Custom  bool
	Saved   bool
	Errors  FieldErrors
}
