package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"coachdesk/internal/helpdesk"
	"coachdesk/internal/testkit"
)

func TestMailboxesAreForAdmins(t *testing.T) {
	e := testkit.New(t)
	if r := e.SignIn("anna@coachdesk.test").Get("/admin/mailboxes"); r.Status != http.StatusForbidden {
		t.Fatalf("an agent got %d", r.Status)
	}
	admin := e.SignIn("admin@coachdesk.test")
	if r := admin.Get("/admin/mailboxes"); r.Status != http.StatusOK || !strings.Contains(r.Body, "COACHDESK_SECRET_KEY") {
		t.Fatalf("admin: %d", r.Status)
	}
	// Without a key a password is refused beside its field, and the rest of the form is kept.
	r := admin.Post("/admin/mailboxes", url.Values{"address": {"support@butik.dk"}, "smtp_host": {"smtp.butik.dk"}, "smtp_password": {"hemmelig"}, "active": {"1"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "COACHDESK_SECRET_KEY") || !strings.Contains(r.Body, `value="smtp.butik.dk"`) || strings.Contains(r.Body, "hemmelig") {
		t.Fatalf("a password without a key: %d", r.Status)
	}
	r = admin.Post("/admin/mailboxes", url.Values{"address": {"not an address"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad address: %d", r.Status)
	}
	r = admin.Post("/admin/mailboxes", url.Values{"address": {"Support@Butik.dk"}, "smtp_host": {"127.0.0.1"}, "smtp_port": {"1"}, "smtp_security": {"none"}, "active": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	if r := admin.Get(r.Location()); !strings.Contains(r.Body, `data-mailbox="support@butik.dk"`) {
		t.Fatal("the saved mailbox is not listed")
	}
}

// A mailed ticket shows its files (downloads, never pages), its original (as text) and the reply's state.
func TestThreadShowsMailStateFilesAndOriginal(t *testing.T) {
	e := testkit.New(t)
	ctx := context.Background()
	if _, err := e.App.Mail.SaveMailbox(ctx, 0, mailboxInput("support@butik.dk")); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../internal/mail/testdata/attachments-inline.eml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.App.Mail.Receive(ctx, 1, "test", raw)
	if err != nil || got.Number == 0 {
		t.Fatalf("%+v %v", got, err)
	}
	agent := e.SignIn("anna@coachdesk.test")
	page := agent.Get(fmt.Sprintf("/tickets/%d", got.Number))
	if !strings.Contains(page.Body, "kvittering.pdf") || !strings.Contains(page.Body, "/original") {
		t.Fatal("the ticket does not show the files and the original")
	}
	i := strings.Index(page.Body, `href="/attachments/`)
	link := page.Body[i+6 : i+6+strings.Index(page.Body[i+6:], `"`)]
	file := agent.Get(link)
	if file.Status != http.StatusOK || file.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(file.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", file.Status, file.Header)
	}
	// the picture sent inside the mail shows in the thread; ?view=inline on a PDF still downloads
	m := regexp.MustCompile(`<img src="(/attachments/\d+\?view=inline)"`).FindStringSubmatch(page.Body)
	if m == nil || strings.Contains(page.Body, "cid:") {
		t.Fatalf("the inline picture is not shown from its part:\n%s", excerpt(page.Body))
	}
	pic := agent.Get(m[1])
	if pic.Status != http.StatusOK || pic.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(pic.Header.Get("Content-Disposition"), "inline") ||
		pic.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(pic.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("inline picture: %d %v", pic.Status, pic.Header)
	}
	pdfLink := regexp.MustCompile(`href="(/attachments/\d+)" download="kvittering.pdf"`).FindStringSubmatch(page.Body)
	if pdfLink == nil {
		t.Fatal("no link to the PDF")
	}
	if pdf := agent.Get(pdfLink[1] + "?view=inline"); pdf.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("a PDF asked for inline: %s, want a download", pdf.Header.Get("Content-Type"))
	}
	tk, _ := e.Store.Ticket(ctx, got.Number)
	th, _ := e.Store.Thread(ctx, tk.ID)
	orig := agent.Get(fmt.Sprintf("/tickets/%d/messages/%d/original", got.Number, th[0].ID))
	if orig.Status != http.StatusOK || !strings.HasPrefix(orig.Header.Get("Content-Type"), "text/plain") || !strings.Contains(orig.Body, "Content-Type: multipart/mixed") {
		t.Fatalf("original: %d %s", orig.Status, orig.Header.Get("Content-Type"))
	}
	if _, err := e.Desk.Send(ctx, helpdesk.Outgoing{Number: got.Number, Agent: e.Agent, Body: "Hej Nina\n\nJeg kan godt forstå, at det er ærgerligt med skaden. Jeg sender en ny vare i dag, og den er hos dig på fredag.\n\nVenlig hilsen\nAnna", Lang: "da"}); err != nil {
		t.Fatal(err)
	}
	page = agent.Get(fmt.Sprintf("/tickets/%d", got.Number))
	if !strings.Contains(page.Body, `data-mail-state="queued"`) && !strings.Contains(page.Body, `data-mail-state="sending"`) {
		t.Fatal("the reply shows no mail state")
	}
}

// The confirmation is edited like a saved reply: coached, and refused with an error-level finding.
func TestConfirmationTextIsCoached(t *testing.T) {
	e := testkit.New(t)
	if r := e.SignIn("anna@coachdesk.test").Get("/admin/mailboxes/confirmation"); r.Status != http.StatusForbidden {
		t.Fatalf("an agent got %d", r.Status)
	}
	admin := e.SignIn("admin@coachdesk.test")
	if r := admin.Get("/admin/mailboxes/confirmation?lang=da"); r.Status != http.StatusOK || !strings.Contains(r.Body, "data-coach") || !strings.Contains(r.Body, "{number}") {
		t.Fatalf("editor: %d", r.Status)
	}
	r := admin.Post("/admin/mailboxes/confirmation?lang=da", url.Values{"subject": {"Sag {number}"}, "body": {"Hej. Du har skrevet et forkert postnummer på ordren. Sag {number}."}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "forkert postnummer") {
		t.Fatalf("a blaming confirmation: %d", r.Status)
	}
	body := "Hej\n\nTak fordi du skrev. Jeg forstår, at du gerne vil have svar hurtigt. Din sag har nummeret {number}, og du hører fra os i morgen.\n\nVenlig hilsen\nKundeservice"
	r = admin.Post("/admin/mailboxes/confirmation?lang=da", url.Values{"subject": {"Tak for din mail [{number}]"}, "body": {body}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("a good confirmation: %d %s", r.Status, r.Body)
	}
	subject, text, err := e.App.Mail.Confirmation(context.Background(), "da", 1042, "Pakke")
	if err != nil || subject != "Tak for din mail [#1042]" || !strings.Contains(text, "nummeret #1042") {
		t.Errorf("stored: %q %q %v", subject, text, err)
	}
}
