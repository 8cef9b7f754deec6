package helpdesk_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/live"
	"coachdesk/internal/mail"
	"coachdesk/internal/mail/dovecottest"
	"coachdesk/internal/store"
)

const testKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// withIMAP points the fixture's mailbox at the test Dovecot.
func (f *mailFixture) withIMAP(t *testing.T, d *dovecottest.Server, done string) {
	t.Helper()
	box, err := f.mail.SaveMailbox(f.ctx, f.box.ID, desk.MailboxInput{Address: f.box.Address, Name: f.box.Name, Active: true,
		IMAPHost: d.Host, IMAPPort: d.IMAPSPort, IMAPSecurity: "tls", IMAPUser: d.User, IMAPPassword: d.Password, IMAPDone: done,
		SMTPHost: f.relay.Host, SMTPPort: f.relay.Port, SMTPSecurity: "starttls", SMTPUser: f.relay.User})
	if err != nil {
		t.Fatal(err)
	}
	f.box = box
}

// waitFor polls cond until it holds or 30 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *mailFixture) run(t *testing.T, d *dovecottest.Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(f.ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.mail.Run(ctx, helpdesk.MailOptions{Relay: f.relayFor, IMAPTLS: d.TLS, PollInterval: 200 * time.Millisecond, OutboxInterval: 50 * time.Millisecond, ReloadInterval: time.Hour})
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
}

func (f *mailFixture) ticketCount(t *testing.T) int {
	t.Helper()
	n, err := f.st.InboundOutcomes(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n[store.InTicket]
}

// TestIMAPToTicketToReplyAndBack is the whole round: a mail in the Dovecot mailbox becomes a
// ticket, the agent's reply reaches the relay with the right headers, and the customer's answer to
// it lands on the same ticket.
func TestIMAPToTicketToReplyAndBack(t *testing.T) {
	d := dovecottest.Start(t)
	f := newMailFixture(t)
	f.withIMAP(t, d, "")
	raw, err := os.ReadFile("../mail/testdata/utf8-plain.eml")
	if err != nil {
		t.Fatal(err)
	}
	d.Deliver(t, "INBOX", raw)
	f.run(t, d)
	waitFor(t, "the mail to open a ticket", func() bool { return f.ticketCount(t) == 1 })
	tickets, _ := f.st.CustomerTickets(f.ctx, mustCustomer(t, f, "maja@kunde.dk"), 10)
	if len(tickets) != 1 {
		t.Fatalf("tickets: %+v", tickets)
	}
	tk := tickets[0]
	f.relay.Wait(t, 1, 30*time.Second) // the confirmation
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: tk.Number, Agent: f.agent, Body: goodReply, Lang: "da"}); err != nil {
		t.Fatal(err)
	}
	got := f.relay.Wait(t, 2, 30*time.Second)
	reply, err := mail.Parse(got[1].Raw)
	if err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("[#%d]", tk.Number)
	if !strings.Contains(reply.Subject, tag) || reply.InReplyTo[0] != "CAK1-utf8@mail.kunde.dk" || reply.References[0] != "CAK1-utf8@mail.kunde.dk" ||
		got[1].To[0] != "maja@kunde.dk" || !strings.HasSuffix(reply.MessageID, "@butik.dk") || !strings.Contains(string(got[1].Raw), "Reply-To: <support@butik.dk>") {
		t.Fatalf("the reply's headers: %+v\n%s", reply, got[1].Raw)
	}
	answer := "From: Maja Holm <maja@kunde.dk>\r\nTo: support@butik.dk\r\nSubject: " + reply.Subject + "\r\nMessage-ID: <answer-e2e@kunde.dk>\r\n" +
		"In-Reply-To: <" + reply.MessageID + ">\r\nReferences: <CAK1-utf8@mail.kunde.dk> <" + reply.MessageID + ">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTusind tak!\r\n"
	d.Deliver(t, "INBOX", []byte(answer))
	waitFor(t, "the answer to land on the ticket", func() bool {
		th, _ := f.st.Thread(f.ctx, tk.ID)
		return len(th) == 3 && th[2].Body == "Tusind tak!"
	})
	if f.ticketCount(t) != 1 {
		t.Error("the answer opened a ticket of its own")
	}
	waitFor(t, "both mails flagged as taken", func() bool { _, flagged := d.Count(t, "INBOX", mail.TakenFlag); return flagged == 2 })
}

func mustCustomer(t *testing.T, f *mailFixture, email string) int64 {
	t.Helper()
	cs, err := f.st.FindCustomers(f.ctx, email, 1)
	if err != nil || len(cs) != 1 {
		t.Fatalf("customer %s: %v %v", email, cs, err)
	}
	return cs[0].ID
}

// The crash tests run this test binary again as a child that is killed with SIGKILL mid-work.
func TestMain(m *testing.M) {
	switch os.Getenv("COACHDESK_MAIL_CHILD") {
	case "queue":
		childQueue()
	case "poll":
		childPoll()
	}
	os.Exit(m.Run())
}

func childOpen() (*store.Store, *helpdesk.Service, *helpdesk.Mail) {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("COACHDESK_MAIL_DB"))
	if err != nil {
		panic(err)
	}
	hd := helpdesk.New(st, live.Discard, coach.Default())
	sealer, _ := mail.NewSealer(testKey)
	return st, hd, helpdesk.NewMail(hd, sealer, nil)
}

// childQueue sends a reply (queued in its transaction), says so, and waits to be killed before the outbox runs.
func childQueue() {
	st, hd, _ := childOpen()
	var number, agent int64
	fmt.Sscan(os.Getenv("COACHDESK_MAIL_TICKET"), &number)
	fmt.Sscan(os.Getenv("COACHDESK_MAIL_AGENT"), &agent)
	u, err := st.UserByID(context.Background(), agent)
	if err != nil {
		panic(err)
	}
	if _, err := hd.Send(context.Background(), helpdesk.Outgoing{Number: number, Agent: u, Body: goodReply, Lang: "da"}); err != nil {
		panic(err)
	}
	fmt.Println("queued")
	select {}
}

// childPoll polls the Dovecot mailbox, one mail at a time, until it is killed.
func childPoll() {
	_, _, m := childOpen()
	pool, err := os.ReadFile(os.Getenv("COACHDESK_MAIL_CA"))
	if err != nil {
		panic(err)
	}
	m.Run(context.Background(), helpdesk.MailOptions{IMAPTLS: dovecottest.TLSFromPEM(pool), PollInterval: 50 * time.Millisecond, ReloadInterval: time.Hour})
}

func startChild(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "COACHDESK_MAIL_CHILD="+mode), env...)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestCrashBetweenQueueingAndSendingLosesNothingAndSendsOnce(t *testing.T) {
	f := newMailFixture(t)
	r := f.receive(t, "utf8-plain.eml")
	f.sendDue(t) // the confirmation
	cmd := startChild(t, "queue", "COACHDESK_MAIL_DB="+f.dbPath(), fmt.Sprintf("COACHDESK_MAIL_TICKET=%d", r.Number), fmt.Sprintf("COACHDESK_MAIL_AGENT=%d", f.agent.ID))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, _ := out.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "queued") {
		t.Fatalf("child said %q", buf[:n])
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// Restarted: the reply is there, queued, and goes out once however often the outbox runs.
	tk, _ := f.st.Ticket(f.ctx, r.Number)
	th, _ := f.st.Thread(f.ctx, tk.ID)
	if len(th) != 2 {
		t.Fatalf("the thread has %d messages after the crash", len(th))
	}
	if d, _ := f.st.Deliveries(f.ctx, tk.ID, 0); d[th[1].ID].State != desk.MailQueued {
		t.Fatalf("after the crash: %+v", d)
	}
	for i := 0; i < 3; i++ {
		f.sendDue(t)
	}
	if got := f.relay.Received(); len(got) != 2 {
		t.Fatalf("the relay has %d mails, want the confirmation and the reply once", len(got))
	}
}

func TestCrashWhilePollingTakesEveryMailOnce(t *testing.T) {
	d := dovecottest.Start(t)
	f := newMailFixture(t)
	f.withIMAP(t, d, "")
	const mails = 30
	for i := 0; i < mails; i++ {
		d.Deliver(t, "INBOX", []byte(fmt.Sprintf("From: kunde%d@example.dk\r\nTo: support@butik.dk\r\nSubject: Sag %d\r\nMessage-ID: <crash-%d@example.dk>\r\n\r\nHej, min pakke %d er ikke kommet.\r\n", i, i, i, i)))
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, d.CA, 0o644); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		cmd := startChild(t, "poll", "COACHDESK_MAIL_DB="+f.dbPath(), "COACHDESK_MAIL_CA="+ca)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		before := f.ticketCount(t)
		waitFor(t, "the child to take a mail", func() bool { return f.ticketCount(t) > before || before == mails })
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	// Restarted here: the rest is taken, nothing twice.
	f.run(t, d)
	waitFor(t, "every mail to become a ticket", func() bool { return f.ticketCount(t) >= mails })
	waitFor(t, "every mail flagged", func() bool { _, flagged := d.Count(t, "INBOX", mail.TakenFlag); return flagged == mails })
	if n := f.ticketCount(t); n != mails {
		t.Fatalf("%d tickets from %d mails", n, mails)
	}
}
