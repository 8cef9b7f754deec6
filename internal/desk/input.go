package desk

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Size limits for what people type; the HTTP layer caps whole bodies separately.
const (
	MaxSubject   = 200
	MaxBody      = 64 << 10
	MaxName      = 120
	MaxEmail     = 254
	MaxTags      = 20
	MaxTag       = 40
	MaxNotes     = 4000
	MaxReplyName = 120
)

// NewTicket is everything it takes to open a ticket, from an agent, the public form or the API.
type NewTicket struct {
	Subject       string
	Body          string
	HTML          bool
	CustomerID    int64 // an existing customer; otherwise CustomerName/CustomerEmail find or create one
	CustomerName  string
	CustomerEmail string
	Priority      Priority
	Channel       Channel
	Language      string
	Tags          []string
	AssigneeID    int64
	ByUserID      int64 // the agent who opened it on the customer's behalf; 0 when the customer wrote
}

// Normalize trims input and fills defaults, then reports everything wrong with it (the first error, the rest in Also).
func (n *NewTicket) Normalize() error {
	n.Subject = CleanText(n.Subject)
	n.Body = strings.TrimSpace(strings.ReplaceAll(n.Body, "\x00", ""))
	n.CustomerName = CleanText(n.CustomerName)
	n.CustomerEmail = strings.TrimSpace(n.CustomerEmail)
	if n.Priority == "" {
		n.Priority = PriorityNormal
	}
	if n.Channel == "" {
		n.Channel = ChannelWeb
	}
	if n.Language == "" {
		n.Language = "da"
	}
	var p Problems
	switch {
	case n.Subject == "":
		p.Add(Required("subject", "Subject is required."))
	case utf8.RuneCountInString(n.Subject) > MaxSubject:
		p.Add(TooLong(EINVALID, "subject", "Subject is longer than %d characters.", MaxSubject))
	}
	p.Add(validBody("body", n.Body, "Message"))
	if !n.Priority.Valid() {
		p.Add(Errorf(EINVALID, "priority", "Unknown priority %q: use low, normal, high or urgent.", n.Priority))
	}
	if !n.Channel.Valid() {
		p.Add(Errorf(EINVALID, "channel", "Unknown channel %q: use web, email, api or phone.", n.Channel))
	}
	if !ValidLanguage(n.Language) {
		p.Add(Errorf(EINVALID, "language", "Unknown language %q: use da, nb, sv or en.", n.Language))
	}
	if n.CustomerID == 0 {
		p.Add(ValidateName("customer.name", n.CustomerName))
		p.Add(ValidateEmail("customer.email", n.CustomerEmail))
	}
	tags, err := NormalizeTags(n.Tags)
	n.Tags = tags
	p.Add(err)
	return p.Err()
}

// validBody checks the text of a message or saved reply: what, in what says which ("Message", "Text").
func validBody(field, body, what string) error {
	switch {
	case body == "":
		return Required(field, what+" is required.")
	case len(body) > MaxBody:
		return TooLong(ETOOLARGE, field, "%s is larger than %d KB.", what, MaxBody>>10)
	}
	return nil
}

// ValidateCustomer checks the name and e-mail we will answer to.
func ValidateCustomer(name, email string) error {
	var p Problems
	p.Add(ValidateName("customer.name", name))
	p.Add(ValidateEmail("customer.email", email))
	return p.Err()
}

// ValidateName checks a person's name; one with nothing visible in it counts as missing.
func ValidateName(field, name string) error {
	switch {
	case CleanText(name) == "":
		return Required(field, "Name is required.")
	case utf8.RuneCountInString(name) > MaxName:
		return TooLong(EINVALID, field, "Name is longer than %d characters.", MaxName)
	}
	return nil
}

func ValidateEmail(field, email string) error {
	switch {
	case email == "":
		return Required(field, "E-mail is required.")
	case len(email) > MaxEmail || !validEmail(email):
		return Errorf(EINVALID, field, "%q is not an e-mail address.", email)
	}
	return nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// CleanText trims a one-line value and drops NUL and bidi controls (they make "Refund \u202egnp.exe" read "Refund exe.png"); nothing visible left gives "".
func CleanText(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == 0 || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s))
	invisible := func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
	}
	if strings.TrimFunc(s, invisible) == "" {
		return ""
	}
	return s
}

// ValidLanguage reports whether lang is one the coach and the UI know.
func ValidLanguage(lang string) bool {
	return lang == "da" || lang == "nb" || lang == "sv" || lang == "en"
}

var tagPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}_-]*$`)

// NormalizeTags lower-cases, de-duplicates and sorts tags, rejecting ones that cannot be typed back into a filter.
func NormalizeTags(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, t := range in {
		t = strings.ToLower(CleanText(t))
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTag || !tagPattern.MatchString(t) {
			return nil, Errorf(EINVALID, "tags", "Tag %q must be letters, digits, - or _ and at most %d characters.", t, MaxTag)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxTags {
		return nil, Errorf(EINVALID, "tags", "A ticket can have at most %d tags.", MaxTags)
	}
	slices.Sort(out)
	return out, nil
}

// SplitTags reads the comma- or space-separated tags a person types.
func SplitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
}

// NewMessage is a reply or an internal note on a ticket.
type NewMessage struct {
	TicketID   int64
	Kind       MessageKind
	Body       string
	HTML       bool
	UserID     int64 // the agent; 0 when the customer wrote
	CustomerID int64
	SetStatus  Status    // optional status to set with the reply, as "send and mark pending"
	Coaching   *Coaching // the coach's findings on a reply, stored with it
	DraftRev   int64     // the composer draft this send clears, up to this revision
	SeenID     int64     // the newest message the agent had seen; 0 skips the collision check
	Via        *Token    // the integration's token that posted it for the customer, named in the audit trail
}

func (m *NewMessage) Normalize() error {
	// Browsers post a textarea's line breaks as CRLF; the coach's spans count them as the page does.
	m.Body = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\x00", ""), "\r\n", "\n"))
	if m.Kind == "" {
		m.Kind = KindReply
	}
	switch {
	case !m.Kind.Valid():
		return Errorf(EINVALID, "kind", "Unknown message kind %q: use reply or note.", m.Kind)
	case m.Body == "":
		return Required("body", "Write something before sending.")
	case len(m.Body) > MaxBody:
		return TooLong(ETOOLARGE, "body", "Message is larger than %d KB.", MaxBody>>10)
	case m.SetStatus != "" && !m.SetStatus.Valid():
		return Errorf(EINVALID, "status", "Unknown status %q.", m.SetStatus)
	case m.UserID == 0 && m.Kind == KindNote:
		return Errorf(EINVALID, "kind", "Only agents write internal notes.")
	}
	return nil
}

// SavedReplyInput is what leads type to create or edit a saved reply.
type SavedReplyInput struct {
	Title string
	Body  string
}

func (s *SavedReplyInput) Normalize() error {
	s.Title = CleanText(s.Title)
	// PostgreSQL refuses text that is not UTF-8; a stray byte becomes U+FFFD on both databases.
	s.Body = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(s.Body, "\x00", ""), "\uFFFD"))
	var p Problems
	switch {
	case s.Title == "":
		p.Add(Required("title", "Title is required."))
	case utf8.RuneCountInString(s.Title) > MaxReplyName:
		p.Add(TooLong(EINVALID, "title", "Title is longer than %d characters.", MaxReplyName))
	}
	p.Add(validBody("body", s.Body, "Text"))
	return p.Err()
}
