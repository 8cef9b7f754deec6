package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
)

func readCorpus(t *testing.T, name string) *Parsed {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

func TestParseCharsets(t *testing.T) {
	for _, tc := range []struct{ file, from, subject, text string }{
		{"utf8-plain.eml", "maja@kunde.dk", "Pakken er ikke kommet fræm", "Mvh Maja Ærø"},
		{"latin1-qp.eml", "soren@example.dk", "Forkert størrelse", "på lageret i Århus?"},
		{"cp1252-base64.eml", "ase@example.no", "Faktura", "1.250 € er forkert – jeg har betalt “det hele”"},
	} {
		p := readCorpus(t, tc.file)
		if p.From != tc.from || p.Subject != tc.subject || !strings.Contains(p.Text, tc.text) {
			t.Errorf("%s: from %q subject %q text %q", tc.file, p.From, p.Subject, p.Text)
		}
		if p.Kind != KindNormal {
			t.Errorf("%s: kind %q", tc.file, p.Kind)
		}
	}
	if p := readCorpus(t, "latin1-qp.eml"); p.FromName != "Søren Blåbær" {
		t.Errorf("encoded display name read as %q", p.FromName)
	}
}

func TestParseAlternativeKeepsBothParts(t *testing.T) {
	p := readCorpus(t, "alternative.eml")
	if !strings.Contains(p.Text, "Hur gör jag?") || !strings.Contains(p.HTML, "<b>returnera</b>") {
		t.Fatalf("text %q html %q", p.Text, p.HTML)
	}
	if len(p.Attachments) != 0 {
		t.Errorf("alternatives taken as attachments: %+v", p.Attachments)
	}
}

func TestParseAttachmentsAndInlineImages(t *testing.T) {
	p := readCorpus(t, "attachments-inline.eml")
	if !strings.Contains(p.Text, "billede af skaden") || !strings.Contains(p.HTML, "cid:skade@example.dk") {
		t.Fatalf("text %q html %q", p.Text, p.HTML)
	}
	byName := map[string]Attachment{}
	for _, a := range p.Attachments {
		byName[a.Filename] = a
	}
	img, pdf, fake := byName["skade.png"], byName["kvittering.pdf"], byName["not-really.jpg"]
	if !img.Inline || img.ContentID != "skade@example.dk" || img.ContentType != "image/png" || !bytes.HasPrefix(img.Data, []byte("\x89PNG")) {
		t.Errorf("inline image: %+v", img)
	}
	if pdf.Inline || pdf.ContentType != "application/pdf" || !bytes.HasPrefix(pdf.Data, []byte("%PDF")) {
		t.Errorf("pdf: %+v", pdf)
	}
	// The label says JPEG; the bytes are HTML: the type kept is what the bytes are.
	if !strings.HasPrefix(fake.ContentType, "text/html") {
		t.Errorf("a mislabelled file kept its label: %q", fake.ContentType)
	}
}

func TestParseForwardedKeepsTheOriginalAsAFile(t *testing.T) {
	p := readCorpus(t, "forwarded.eml")
	if !strings.Contains(p.Text, "ordren er aldrig kommet") || len(p.Attachments) != 1 || p.Attachments[0].ContentType != "message/rfc822" {
		t.Fatalf("text %q attachments %+v", p.Text, p.Attachments)
	}
	if p.Kind != KindNormal {
		t.Errorf("forwarded mail is %q", p.Kind)
	}
}

func TestParseReplyThreadingHeadersAndQuote(t *testing.T) {
	p := readCorpus(t, "reply-quoted.eml")
	if p.MessageID != "CAK2-reply@mail.kunde.dk" || len(p.InReplyTo) != 1 || p.InReplyTo[0] != "coachdesk.1042.abcdef@butik.dk" || len(p.References) != 2 {
		t.Fatalf("ids %q %q %q", p.MessageID, p.InReplyTo, p.References)
	}
	reply, quoted := CutQuoted(p.Text)
	if reply != "Tak, nu er den kommet!" || !strings.Contains(quoted, "frustrerende") {
		t.Errorf("reply %q quoted %q", reply, quoted)
	}
}

func TestCutQuoted(t *testing.T) {
	for _, tc := range []struct{ in, reply string }{
		{"Fint.\n\nOn Mon, 30 Nov 2026 at 12:00, Anna <a@b.dk> wrote:\n> hej", "Fint."},
		{"Svar her\n-----Oprindelig meddelelse-----\nFra: Anna <a@b.dk>\nSendt: i går", "Svar her"},
		{"Svar her\n\nFra: Anna <support@butik.dk>\nSendt: 30. november\nEmne: Re: pakke", "Svar her"},
		{"Tak\n\n> gammel tekst\n> mere", "Tak"},
		// An answer written between quoted lines is the customer's and stays.
		{"On Mon Anna <a@b.dk> wrote:\n> Er adressen rigtig?\nJa, den er rigtig.", "On Mon Anna <a@b.dk> wrote:\n> Er adressen rigtig?\nJa, den er rigtig."},
		{"> only a quote", "> only a quote"},
	} {
		if got, _ := CutQuoted(tc.in); got != tc.reply {
			t.Errorf("CutQuoted(%q) = %q, want %q", tc.in, got, tc.reply)
		}
	}
	h, ok := CutQuotedHTML(`<p>Ja tak</p><div class="gmail_quote"><blockquote>gammel</blockquote></div>`)
	if !ok || h != "<p>Ja tak</p>" {
		t.Errorf("CutQuotedHTML = %q, %v", h, ok)
	}
}

func TestParseAutoRepliesBulkAndBounces(t *testing.T) {
	if p := readCorpus(t, "auto-reply.eml"); p.Kind != KindAutoReply {
		t.Errorf("auto-reply read as %q", p.Kind)
	}
	if p := readCorpus(t, "bulk.eml"); p.Kind != KindBulk {
		t.Errorf("bulk read as %q", p.Kind)
	}
	p := readCorpus(t, "bounce.eml")
	if p.Kind != KindBounce || p.Bounce == nil || p.Bounce.OriginalID != "coachdesk.1042.bounced@butik.dk" || !strings.Contains(p.Bounce.Reason, "User unknown") {
		t.Fatalf("bounce: kind %q %+v", p.Kind, p.Bounce)
	}
}

func TestParseMalformedIsAnErrorNotAPanic(t *testing.T) {
	raw, err := os.ReadFile("testdata/malformed.eml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(raw); !errors.Is(err, ErrMalformed) {
		t.Fatalf("malformed mail: %v", err)
	}
	for _, raw := range [][]byte{nil, []byte("\x00\x01"), []byte("From: a@b.dk\nContent-Type: multipart/mixed; boundary=\"q\"\n\n--q\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n")} {
		Parse(raw) // must return, whatever it says
	}
}

// TestParseOversizedAttachmentIsListedNotKept is the 20 MB file a customer's phone attaches.
func TestParseOversizedAttachmentIsListedNotKept(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("From: Maja <maja@kunde.dk>\r\nTo: support@butik.dk\r\nSubject: Video\r\nMessage-ID: <big@kunde.dk>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nHer er videoen.\r\n--m\r\n" +
		"Content-Type: video/mp4\r\nContent-Disposition: attachment; filename=\"video.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	chunk := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x42}, 57))
	for i := 0; i < (20<<20)/57; i++ {
		b.WriteString(chunk)
		b.WriteString("\r\n")
	}
	b.WriteString("--m--\r\n")
	p, err := Parse(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Attachments) != 1 {
		t.Fatalf("attachments: %d", len(p.Attachments))
	}
	a := p.Attachments[0]
	if a.Data != nil || a.Omitted == "" || a.Size < 20<<20-57 {
		t.Errorf("over-limit file: size %d omitted %q kept %d bytes", a.Size, a.Omitted, len(a.Data))
	}
	if p.Text != "Her er videoen.\n" && strings.TrimSpace(p.Text) != "Her er videoen." {
		t.Errorf("text %q", p.Text)
	}
}

func TestSealerRoundTrip(t *testing.T) {
	s, err := NewSealer("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("hunter2", "support@butik.dk")
	if err != nil || bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatalf("sealed %q, %v", sealed, err)
	}
	if got, err := s.Open(sealed, "support@butik.dk"); err != nil || got != "hunter2" {
		t.Errorf("open: %q, %v", got, err)
	}
	if _, err := s.Open(sealed, "other@butik.dk"); err == nil {
		t.Error("a password opened for another mailbox")
	}
	other, _ := NewSealer("another key that is long enough to hash, 32+")
	if _, err := other.Open(sealed, "support@butik.dk"); err == nil {
		t.Error("a password opened with another key")
	}
	if _, err := (&Sealer{}).Seal("x", "a@b"); !errors.Is(err, ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
}

func TestComposeHeadersAndParts(t *testing.T) {
	raw, err := Compose(Outgoing{FromAddress: "support@butik.dk", FromName: "Anna, Kundeservice", To: "maja@kunde.dk", ToName: "Maja",
		Subject: SubjectFor("Pakken er ikke kommet", 1042), MessageID: "coachdesk.1042.x@butik.dk", InReplyTo: "CAK1@kunde.dk",
		References: []string{"CAK1@kunde.dk"}, Text: "Hej Maja\n\nTak <b>for</b> din mail."})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Re: Pakken er ikke kommet [#1042]" || p.MessageID != "coachdesk.1042.x@butik.dk" || p.InReplyTo[0] != "CAK1@kunde.dk" || p.FromName != "Anna, Kundeservice" {
		t.Errorf("headers: %+v", p)
	}
	if !strings.Contains(p.Text, "Tak <b>for</b> din mail.") || !strings.Contains(p.HTML, "Tak &lt;b&gt;for&lt;/b&gt; din mail.") {
		t.Errorf("parts: text %q html %q", p.Text, p.HTML)
	}
	if !strings.Contains(string(raw), "Reply-To: <support@butik.dk>") {
		t.Errorf("no Reply-To:\n%s", raw)
	}
	if SubjectFor("Re: Pakken [#1042]", 1042) != "Re: Pakken [#1042]" {
		t.Error("the number was added twice")
	}
}
