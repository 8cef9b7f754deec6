package helpdesk_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/live"
	"coachdesk/internal/mail"
	"coachdesk/internal/mail/mailtest"
	"coachdesk/internal/store"
)

// A reply the coach lets through in Danish.
const goodReply = "Hej Maja\n\nJeg kan godt forstå, at det er ærgerligt, at pakken ikke er kommet. Jeg har sendt en ny pakke i dag, og den er hos dig på fredag.\n\nVenlig hilsen\nSofie"

type mailFixture struct {
	ctx   context.Context
	st    *store.Store
	hd    *helpdesk.Service
	mail  *helpdesk.Mail
	relay *mailtest.Relay
	box   desk.Mailbox
	agent desk.User
	path  string
}

func (f *mailFixture) dbPath() string { return f.path }

func newMailFixture(t *testing.T) *mailFixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mail.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	hd := helpdesk.New(st, live.NewHub(), coach.Default())
	t.Cleanup(func() { hd.Close(); st.Close() })
	sealer, err := mail.NewSealer("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	relay := mailtest.Start(t)
	m := helpdesk.NewMail(hd, sealer, nil)
	box, err := m.SaveMailbox(ctx, 0, desk.MailboxInput{Address: "support@butik.dk", Name: "Kundeservice", Active: true,
		SMTPHost: relay.Host, SMTPPort: relay.Port, SMTPSecurity: "starttls", SMTPUser: relay.User, SMTPPassword: relay.Password})
	if err != nil {
		t.Fatal(err)
	}
	agent, err := st.CreateUser(ctx, desk.User{Name: "Sofie Agent", Email: "sofie@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x", Locale: "da"})
	if err != nil {
		t.Fatal(err)
	}
	return &mailFixture{ctx: ctx, st: st, hd: hd, mail: m, relay: relay, box: box, agent: agent, path: path}
}

// relayFor reaches the test relay, trusting its certificate.
func (f *mailFixture) relayFor(box desk.Mailbox, password string) helpdesk.Sender {
	return mail.Relay{Host: box.SMTPHost, Port: box.SMTPPort, Security: box.SMTPSecurity, User: box.SMTPUser, Password: password, TLSConfig: f.relay.TLS}
}

func (f *mailFixture) receive(t *testing.T, name string) helpdesk.Received {
	t.Helper()
	raw, err := os.ReadFile("../mail/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.mail.Receive(f.ctx, f.box.ID, "test", raw)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *mailFixture) sendDue(t *testing.T) int {
	t.Helper()
	n, err := f.mail.SendDue(f.ctx, f.relayFor)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMailOpensATicketAndTheReplyGoesOutThreaded(t *testing.T) {
	f := newMailFixture(t)
	r := f.receive(t, "utf8-plain.eml")
	if r.Outcome != store.InTicket || r.Number == 0 {
		t.Fatalf("received %+v", r)
	}
	tk, err := f.st.Ticket(f.ctx, r.Number)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Channel != desk.ChannelEmail || tk.Language != "da" || tk.Customer.Email != "maja@kunde.dk" || tk.Subject != "Pakken er ikke kommet fræm" {
		t.Fatalf("ticket %+v", tk)
	}
	// The confirmation and the reply leave from the outbox, threaded on the customer's mail.
	if n := f.sendDue(t); n != 1 {
		t.Fatalf("sent %d, want the confirmation", n)
	}
	sent, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: tk.Number, Agent: f.agent, Body: goodReply, Lang: "da"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: tk.Number, Agent: f.agent, Kind: desk.KindNote, Body: "Intern: ring til GLS"}); err != nil {
		t.Fatal(err)
	}
	d, _ := f.st.Deliveries(f.ctx, tk.ID, 0)
	if len(d) != 1 || d[sent.ID].State != desk.MailQueued {
		t.Fatalf("deliveries after a reply and a note: %+v", d)
	}
	if n := f.sendDue(t); n != 1 {
		t.Fatalf("sent %d, want the reply (the note never leaves)", n)
	}
	got := f.relay.Received()
	if len(got) != 2 {
		t.Fatalf("relay has %d mails", len(got))
	}
	conf, err := mail.Parse(got[0].Raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(conf.Text, desk.FormatNumber(tk.Number)) || conf.Kind != mail.KindAutoReply || conf.InReplyTo[0] != "CAK1-utf8@mail.kunde.dk" {
		t.Errorf("confirmation: %+v", conf)
	}
	p, err := mail.Parse(got[1].Raw)
	if err != nil {
		t.Fatal(err)
	}
	if got[1].To[0] != "maja@kunde.dk" || p.FromName != "Sofie Agent, Kundeservice" || !strings.Contains(p.Subject, "[#"+strings.TrimPrefix(desk.FormatNumber(tk.Number), "#")+"]") ||
		p.InReplyTo[0] != "CAK1-utf8@mail.kunde.dk" || !strings.Contains(p.Text, "Jeg har sendt en ny pakke") || p.HTML == "" || strings.Contains(string(got[1].Raw), "Intern") {
		t.Fatalf("reply mail: to %v, %+v", got[1].To, p)
	}
	if d, _ := f.st.Deliveries(f.ctx, tk.ID, 0); d[sent.ID].State != desk.MailSent {
		t.Errorf("state after sending: %+v", d[sent.ID])
	}
	// The customer answers the reply: it lands on the same ticket, and a solved ticket reopens.
	if _, err := f.hd.ChangeTicket(f.ctx, tk.Number, f.agent, desk.Change{Status: ptr(desk.StatusSolved)}); err != nil {
		t.Fatal(err)
	}
	answer := "From: Maja Holm <maja@kunde.dk>\r\nTo: support@butik.dk\r\nSubject: " + p.Subject + "\r\nMessage-ID: <answer-1@kunde.dk>\r\n" +
		"In-Reply-To: <" + p.MessageID + ">\r\nReferences: <CAK1-utf8@mail.kunde.dk> <" + p.MessageID + ">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Tak, den kom i dag.\r\n\r\nOn Mon, 30 Nov 2026, Sofie <support@butik.dk> wrote:\r\n> Hej Maja\r\n"
	r2, err := f.mail.Receive(f.ctx, f.box.ID, "test", []byte(answer))
	if err != nil {
		t.Fatal(err)
	}
	if r2.Outcome != store.InReply || r2.Number != tk.Number {
		t.Fatalf("the answer: %+v", r2)
	}
	after, _ := f.st.Ticket(f.ctx, tk.Number)
	th, _ := f.st.Thread(f.ctx, tk.ID)
	if after.Status != desk.StatusOpen || th[len(th)-1].Body != "Tak, den kom i dag." {
		t.Errorf("status %s, last message %q", after.Status, th[len(th)-1].Body)
	}
	raw, err := f.st.InboundRaw(f.ctx, r2.Message)
	if err != nil || !strings.Contains(string(raw), "> Hej Maja") {
		t.Errorf("the full original is not kept: %v", err)
	}
	// The same mail fetched again is taken once.
	if again, err := f.mail.Receive(f.ctx, f.box.ID, "test", []byte(answer)); err != nil || again.Outcome != helpdesk.Duplicate {
		t.Errorf("second take: %+v, %v", again, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSubjectNumberThreadsOnlyForTheTicketsCustomer(t *testing.T) {
	f := newMailFixture(t)
	first := f.receive(t, "utf8-plain.eml")
	tag := "[#" + strings.TrimPrefix(desk.FormatNumber(first.Number), "#") + "]"
	mine := "From: maja@kunde.dk\r\nSubject: Re: pakke " + tag + "\r\nMessage-ID: <s1@kunde.dk>\r\n\r\nEn ting mere.\r\n"
	if r, _ := f.mail.Receive(f.ctx, f.box.ID, "test", []byte(mine)); r.Outcome != store.InReply || r.Number != first.Number {
		t.Errorf("the customer's mail with the number: %+v", r)
	}
	other := "From: fremmed@example.com\r\nSubject: Re: pakke " + tag + "\r\nMessage-ID: <s2@example.com>\r\n\r\nHej.\r\n"
	if r, _ := f.mail.Receive(f.ctx, f.box.ID, "test", []byte(other)); r.Outcome != store.InTicket || r.Number == first.Number {
		t.Errorf("a stranger's mail with the number: %+v", r)
	}
}

func TestAutoRepliesBulkBouncesAndMalformedOpenNothing(t *testing.T) {
	f := newMailFixture(t)
	for _, tc := range []struct{ file, outcome string }{
		{"auto-reply.eml", store.InIgnored}, {"bulk.eml", store.InIgnored}, {"bounce.eml", store.InBounce}, {"malformed.eml", store.InMalformed},
	} {
		if r := f.receive(t, tc.file); r.Outcome != tc.outcome || r.Number != 0 {
			t.Errorf("%s: %+v", tc.file, r)
		}
	}
	counts, _ := f.st.InboundOutcomes(f.ctx)
	if counts[store.InMalformed] != 1 || counts[store.InIgnored] != 2 {
		t.Errorf("kept: %v", counts)
	}
	if n := f.sendDue(t); n != 0 {
		t.Errorf("%d mails went back to noise", n)
	}
}

func TestBounceFailsTheReplyItReportsOn(t *testing.T) {
	f := newMailFixture(t)
	r := f.receive(t, "utf8-plain.eml")
	sent, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: r.Number, Agent: f.agent, Body: goodReply, Lang: "da"})
	if err != nil {
		t.Fatal(err)
	}
	f.sendDue(t)
	var out *mail.Parsed
	for _, got := range f.relay.Received() {
		if p, _ := mail.Parse(got.Raw); p.Kind == mail.KindNormal {
			out = p // the reply, not the confirmation
		}
	}
	bounce := "From: MAILER-DAEMON@mx.kunde.dk\r\nSubject: Undelivered\r\nMessage-ID: <b-2@mx>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n" +
		"--r\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 User unknown\r\n" +
		"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" + out.MessageID + ">\r\n\r\n--r--\r\n"
	if got, err := f.mail.Receive(f.ctx, f.box.ID, "test", []byte(bounce)); err != nil || got.Outcome != store.InBounce {
		t.Fatalf("bounce: %+v %v", got, err)
	}
	tk, _ := f.st.Ticket(f.ctx, r.Number)
	d, _ := f.st.Deliveries(f.ctx, tk.ID, 0)
	if d[sent.ID].State != desk.MailFailed || !strings.Contains(d[sent.ID].Answer, "User unknown") {
		t.Fatalf("after the bounce: %+v", d[sent.ID])
	}
	if _, err := f.mail.RetryMail(f.ctx, tk.ID, sent.ID); err != nil {
		t.Fatal(err)
	}
	if d, _ := f.st.Deliveries(f.ctx, tk.ID, 0); d[sent.ID].State != desk.MailQueued {
		t.Errorf("after retry: %+v", d[sent.ID])
	}
}

func TestOutboxRetriesWithBackoffThenFails(t *testing.T) {
	f := newMailFixture(t)
	r := f.receive(t, "utf8-plain.eml")
	f.sendDue(t) // the confirmation
	sent, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: r.Number, Agent: f.agent, Body: goodReply, Lang: "da"})
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := f.st.Ticket(f.ctx, r.Number)
	f.relay.FailNext(mailtest.ErrTemporary)
	if n := f.sendDue(t); n != 0 {
		t.Fatalf("sent %d through a failing relay", n)
	}
	d, _ := f.st.Deliveries(f.ctx, tk.ID, 0)
	if d[sent.ID].State != desk.MailQueued || d[sent.ID].Attempts != 1 || !strings.Contains(d[sent.ID].Answer, "451") {
		t.Fatalf("after a 451: %+v", d[sent.ID])
	}
	if n := f.sendDue(t); n != 0 {
		t.Fatal("a retry went before its back-off")
	}
	f.st.SetClock(func() time.Time { return time.Now().Add(time.Hour) })
	f.relay.FailNext(mailtest.ErrRejected)
	f.sendDue(t)
	d, _ = f.st.Deliveries(f.ctx, tk.ID, 0)
	if d[sent.ID].State != desk.MailFailed || !strings.Contains(d[sent.ID].Answer, "550") {
		t.Fatalf("after a 550: %+v", d[sent.ID])
	}
}

func TestMailboxSecretsAreSealed(t *testing.T) {
	f := newMailFixture(t)
	if !f.box.HasSMTPSecret {
		t.Fatal("no secret stored")
	}
	_, sealed, _ := f.st.MailboxSecrets(f.ctx, f.box.ID)
	if strings.Contains(string(sealed), f.relay.Password) {
		t.Fatal("the password is stored in the clear")
	}
	// Saving without a password keeps the stored one.
	box, err := f.mail.SaveMailbox(f.ctx, f.box.ID, desk.MailboxInput{Address: "support@butik.dk", Active: true, SMTPHost: f.relay.Host, SMTPPort: f.relay.Port, SMTPUser: f.relay.User})
	if err != nil || !box.HasSMTPSecret {
		t.Fatalf("%+v %v", box, err)
	}
	unkeyed := helpdesk.NewMail(f.hd, &mail.Sealer{}, nil)
	if _, err := unkeyed.SaveMailbox(f.ctx, 0, desk.MailboxInput{Address: "other@butik.dk", SMTPHost: "x", SMTPPassword: "p"}); !errors.Is(err, mail.ErrNoKey) {
		t.Errorf("saved a password without a key: %v", err)
	}
}

func TestConfirmationsPassTheCoach(t *testing.T) {
	f := newMailFixture(t)
	for _, lang := range helpdesk.ConfirmationLangs {
		c, err := f.mail.ConfirmationText(f.ctx, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range f.mail.LintConfirmation(lang, c.Body, "en").Findings {
			if fd.Severity == coach.SevError {
				t.Errorf("%s confirmation: %s %q", lang, fd.Rule, fd.Text)
			}
		}
	}
	var refused *helpdesk.Refused
	if err := f.mail.SaveConfirmationText(f.ctx, f.agent, helpdesk.ConfirmationText{Lang: "da", Subject: "Sag {number}", Body: "Hej. Du har skrevet et forkert postnummer på ordren. Sag {number}."}); !errors.As(err, &refused) {
		t.Errorf("a blaming confirmation was saved: %v", err)
	}
}

func TestSMTPListenerTakesMailForItsAddressesOnly(t *testing.T) {
	f := newMailFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := f.mail.Listener()
	l.MaxBytes = 64 << 10
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	addr := ln.Addr().String()
	raw, _ := os.ReadFile("../mail/testdata/latin1-qp.eml")
	if err := plainSend(t, addr, "soren@example.dk", []string{"Support@Butik.dk"}, bytes.NewReader(raw)); err != nil {
		t.Fatalf("to the support address: %v", err)
	}
	if n, _ := f.st.InboundOutcomes(f.ctx); n[store.InTicket] != 1 {
		t.Fatalf("outcomes: %v", n)
	}
	err = plainSend(t, addr, "x@example.dk", []string{"someone@elsewhere.dk"}, bytes.NewReader(raw))
	if se, ok := err.(*smtp.SMTPError); !ok || se.Code != 550 {
		t.Errorf("to another address: %v", err)
	}
	big := append([]byte("From: a@b.dk\r\nSubject: big\r\n\r\n"), bytes.Repeat([]byte("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"), 2000)...)
	err = plainSend(t, addr, "a@b.dk", []string{"support@butik.dk"}, bytes.NewReader(big))
	if se, ok := err.(*smtp.SMTPError); !ok || se.Code != 552 {
		t.Errorf("over the size limit: %v", err)
	}
}

// plainSend is one SMTP transaction without TLS, as a forwarding server on the same network talks.
func plainSend(t *testing.T, addr, from string, to []string, r *bytes.Reader) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.SendMail(from, to, r)
}

// An agent's signature goes below their mailed reply, after the sign-off separator.
func TestMailedReplyCarriesTheAgentsSignature(t *testing.T) {
	f := newMailFixture(t)
	r := f.receive(t, "utf8-plain.eml")
	f.sendDue(t) // the confirmation
	if err := f.st.SetSignature(f.ctx, f.agent.ID, "Sofie Agent\nKundeservice · 70 20 30 40"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: r.Number, Agent: f.agent, Body: goodReply, Lang: "da"}); err != nil {
		t.Fatal(err)
	}
	f.sendDue(t)
	got := f.relay.Received()
	p, err := mail.Parse(got[len(got)-1].Raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.TrimSpace(p.Text), "-- \nSofie Agent\nKundeservice · 70 20 30 40") && !strings.HasSuffix(strings.TrimSpace(p.Text), "--\nSofie Agent\nKundeservice · 70 20 30 40") {
		t.Errorf("the mailed reply does not end with the signature:\n%q", p.Text)
	}
}

// With a certificate the listener offers STARTTLS, and mail sent over it becomes a ticket.
func TestSMTPListenerOffersSTARTTLS(t *testing.T) {
	f := newMailFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cert, pool := mailtest.SelfSigned(t)
	l := f.mail.Listener()
	l.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() { done <- l.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	// DialStartTLS fails unless the listener offers STARTTLS and the handshake holds.
	c, err := smtp.DialStartTLS(ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	defer c.Close()
	if _, ok := c.TLSConnectionState(); !ok {
		t.Fatal("the session is not over TLS")
	}
	raw, _ := os.ReadFile("../mail/testdata/latin1-qp.eml")
	if err := c.SendMail("soren@example.dk", []string{"support@butik.dk"}, bytes.NewReader(raw)); err != nil {
		t.Fatalf("over TLS: %v", err)
	}
	if n, _ := f.st.InboundOutcomes(f.ctx); n[store.InTicket] != 1 {
		t.Fatalf("outcomes: %v", n)
	}
}
