package helpdesk

import (
	"context"
	"strings"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// ConfirmationText is the acknowledgment a customer gets for a new ticket; {number} and {subject}
// are filled in when it is sent.
type ConfirmationText struct {
	Lang    string
	Subject string
	Body    string
	Custom  bool // the admins wrote it; otherwise it is the built-in text
}

// The built-in confirmations: each thanks the customer, gives the number and says when to expect an answer.
var defaultConfirmations = map[string]ConfirmationText{
	"da": {Lang: "da", Subject: "Vi har modtaget din henvendelse [{number}]", Body: "Hej\n\nTak fordi du skrev til os. Vi forstår, at du gerne vil have svar hurtigt. Din henvendelse har fået nummeret {number}, og du hører fra os inden for én arbejdsdag.\n\nSvar på denne mail, hvis du vil tilføje noget. Så lander det på samme sag.\n\nVenlig hilsen\nKundeservice"},
	"nb": {Lang: "nb", Subject: "Vi har mottatt henvendelsen din [{number}]", Body: "Hei\n\nTakk for at du skrev til oss. Vi forstår at du gjerne vil ha svar raskt. Henvendelsen din har fått nummeret {number}, og du hører fra oss innen én arbeidsdag.\n\nSvar på denne e-posten hvis du vil legge til noe. Da havner det på samme sak.\n\nVennlig hilsen\nKundeservice"},
	"sv": {Lang: "sv", Subject: "Vi har tagit emot ditt ärende [{number}]", Body: "Hej\n\nTack för att du skrev till oss. Vi förstår att du vill ha svar snabbt. Ditt ärende har fått nummer {number}, och du hör av oss inom en arbetsdag.\n\nSvara på det här mejlet om du vill lägga till något. Då hamnar det i samma ärende.\n\nVänliga hälsningar\nKundservice"},
	"en": {Lang: "en", Subject: "We have received your message [{number}]", Body: "Hello\n\nThank you for writing to us. We understand that you would like an answer soon. Your request has the number {number}, and you will hear from us within one working day.\n\nReply to this e-mail to add anything; it will reach the same case.\n\nKind regards\nCustomer service"},
}

// ConfirmationLangs are the languages a confirmation is written in.
var ConfirmationLangs = []string{"da", "nb", "sv", "en"}

// ConfirmationText is the text used for lang now: the admins', else the built-in one (English for
// a language without either).
func (m *Mail) ConfirmationText(ctx context.Context, lang string) (ConfirmationText, error) {
	if _, ok := defaultConfirmations[lang]; !ok {
		lang = "en"
	}
	subject, body, ok, err := m.desk.store.ConfirmationText(ctx, lang)
	if err != nil || !ok {
		return defaultConfirmations[lang], err
	}
	return ConfirmationText{Lang: lang, Subject: subject, Body: body, Custom: true}, nil
}

// Confirmation is the confirmation's subject and text for a ticket, filled in.
func (m *Mail) Confirmation(ctx context.Context, lang string, number int64, subject string) (string, string, error) {
	t, err := m.ConfirmationText(ctx, lang)
	if err != nil {
		return "", "", err
	}
	r := strings.NewReplacer("{number}", desk.FormatNumber(number), "{subject}", subject)
	return r.Replace(t.Subject), r.Replace(t.Body), nil
}

// LintConfirmation coaches a confirmation as the customer will read it: a whole mail answering them.
func (m *Mail) LintConfirmation(lang, body, locale string) coach.Result {
	return m.desk.Lint(strings.NewReplacer("{number}", "#1042", "{subject}", "").Replace(body), coach.Options{Lang: lang, Locale: locale})
}

// SaveConfirmationText stores the admins' confirmation for lang. One with an error-level finding is
// refused, as a saved reply is: it would go to every new customer.
// Errors: *Refused; EINVALID naming lang, subject or body.
func (m *Mail) SaveConfirmationText(ctx context.Context, by desk.User, t ConfirmationText) error {
	t.Subject, t.Body = desk.CleanText(t.Subject), strings.TrimSpace(strings.ReplaceAll(t.Body, "\r\n", "\n"))
	switch {
	case defaultConfirmations[t.Lang].Lang == "":
		return desk.Errorf(desk.EINVALID, "lang", "Write the confirmation in da, nb, sv or en.")
	case t.Subject == "":
		return desk.Required("subject", "Give the confirmation a subject.")
	case t.Body == "":
		return desk.Required("body", "Write the confirmation's text.")
	case len(t.Body) > desk.MaxBody:
		return desk.Errorf(desk.ETOOLARGE, "body", "Keep the confirmation under %d bytes.", desk.MaxBody)
	case !strings.Contains(t.Body, "{number}") && !strings.Contains(t.Subject, "{number}"):
		return desk.Errorf(desk.EINVALID, "body", "Put {number} in the text, so the customer has the ticket's number.")
	}
	var blocking []coach.Finding
	for _, f := range m.LintConfirmation(t.Lang, t.Body, by.Locale).Findings {
		if f.Severity == coach.SevError {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) > 0 {
		return &Refused{Findings: blocking}
	}
	return m.desk.store.SetConfirmationText(ctx, t.Lang, t.Subject, t.Body)
}
