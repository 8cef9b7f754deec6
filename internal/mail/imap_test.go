package mail_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"coachdesk/internal/mail"
	"coachdesk/internal/mail/dovecottest"
)

func TestPollerTakesEachMailOnceFromDovecot(t *testing.T) {
	d := dovecottest.Start(t)
	raw, err := os.ReadFile("testdata/utf8-plain.eml")
	if err != nil {
		t.Fatal(err)
	}
	d.Deliver(t, "INBOX", raw)
	d.Deliver(t, "INBOX", []byte("From: a@b.dk\r\nSubject: two\r\nMessage-ID: <two@b.dk>\r\n\r\nHej\r\n"))
	var mu sync.Mutex
	var got [][]byte
	for _, sec := range []struct {
		name string
		port int
	}{{"starttls", d.IMAPPort}, {"tls", d.IMAPSPort}} {
		p := &mail.Poller{IMAP: mail.IMAP{Host: d.Host, Port: sec.port, Security: sec.name, User: d.User, Password: d.Password, TLSConfig: d.TLS},
			Take: func(_ context.Context, raw []byte) error { mu.Lock(); got = append(got, raw); mu.Unlock(); return nil }}
		if _, err := p.PollOnce(context.Background()); err != nil {
			t.Fatalf("%s: %v", sec.name, err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("took %d mails over two polls, want each of the two once", len(got))
	}
	if all, flagged := d.Count(t, "INBOX", mail.TakenFlag); all != 2 || flagged != 2 {
		t.Errorf("INBOX has %d mails, %d flagged", all, flagged)
	}
	// With a done folder, taken mail moves there.
	d.CreateFolder(t, "Coachdesk")
	d.Deliver(t, "INBOX", []byte("From: a@b.dk\r\nSubject: three\r\nMessage-ID: <three@b.dk>\r\n\r\nHej\r\n"))
	p := &mail.Poller{IMAP: mail.IMAP{Host: d.Host, Port: d.IMAPSPort, Security: "tls", User: d.User, Password: d.Password, Done: "Coachdesk", TLSConfig: d.TLS},
		Take: func(context.Context, []byte) error { return nil }}
	if n, err := p.PollOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("took %d, %v", n, err)
	}
	if all, _ := d.Count(t, "Coachdesk", mail.TakenFlag); all != 1 {
		t.Errorf("the done folder has %d mails", all)
	}
}
