package e2e

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"

	"coachdesk/internal/app"
	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/mail"
	"coachdesk/internal/mail/mailtest"
	"coachdesk/internal/store"
)

// startMailServer runs the app with a mailbox whose replies leave through relay, and its SMTP listener.
func startMailServer(t *testing.T, relay *mailtest.Relay) (base, smtpAddr string, st *store.Store, logins []demo.Login) {
	t.Helper()
	relayFor := func(box desk.Mailbox, password string) helpdesk.Sender {
		return mail.Relay{Host: box.SMTPHost, Port: box.SMTPPort, Security: box.SMTPSecurity, User: box.SMTPUser, Password: password, TLSConfig: relay.TLS}
	}
	a, err := app.Open(context.Background(), app.Config{DB: filepath.Join(t.TempDir(), "e2e.db"),
		SecretKey: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Mail:      helpdesk.MailOptions{Relay: relayFor, OutboxInterval: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if logins, err = demo.Seed(context.Background(), a.Store, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Mail.SaveMailbox(context.Background(), 0, desk.MailboxInput{Address: "support@butik.dk", Name: "Kundeservice", Active: true,
		SMTPHost: relay.Host, SMTPPort: relay.Port, SMTPSecurity: "starttls", SMTPUser: relay.User, SMTPPassword: relay.Password}); err != nil {
		t.Fatal(err)
	}
	web, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { done <- a.Serve(ctx, web) }()
	go func() { done <- a.ServeSMTP(ctx, sl) }()
	t.Cleanup(func() {
		relay.Release()
		stop()
		<-done
		<-done
		a.Close()
	})
	return "http://" + web.Addr().String(), sl.Addr().String(), a.Store, logins
}

// A customer's mail arrives while the agent is on the inbox and appears there without a reload; the
// agent opens it, replies past the coach, and watches the reply's mail go from queued to sent in the thread.
func TestMailArrivesAndTheReplyGoesOut(t *testing.T) {
	execPath := needChromium(t)
	relay := mailtest.Start(t)
	base, smtpAddr, st, logins := startMailServer(t, relay)
	agent := agentLogins(t, logins)[0]
	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)

	// The agent has the inbox open, a row selected and a search half typed; the page is marked, so a
	// reload would show (it would drop the mark).
	const subject = "Min pakke fra e-mail er ikke kommet"
	step(t, ctx, "the inbox is open and hears its events",
		chromedp.Navigate(base+"/inbox?view=unassigned"),
		waitFor(`document.documentElement.dataset.inboxLive === "open" && document.querySelector("#ticket-list .ticket-row") !== null && `+settled),
		chromedp.KeyEvent("j"),
		waitFor(`document.querySelector("#ticket-list .ticket-row.is-selected") !== null`),
		chromedp.SendKeys(chromedp.CSS(`#search`), "halv"),
		chromedp.Evaluate[chromedp.Void](`window.stillTheSamePage = true`),
	)
	selected, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#ticket-list .ticket-row.is-selected").dataset.href`))
	if err != nil {
		t.Fatal(err)
	}

	c, err := smtp.Dial(smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	raw := "From: Maja Holm <maja@kunde.dk>\r\nTo: support@butik.dk\r\nSubject: " + subject + "\r\nMessage-ID: <e2e-1@kunde.dk>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nHej, min pakke er stadig ikke kommet, og jeg har ventet i en uge. Hvad sker der?\r\n"
	if err := c.SendMail("maja@kunde.dk", []string{"support@butik.dk"}, strings.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	// No reload: the row appears because the page heard the mail arrive (step bounds the wait).
	step(t, ctx, "the mailed ticket appears in the open inbox by itself",
		chromedp.WaitVisible(chromedp.Search(`//ol[@data-list="tickets"]/li[1]//a[contains(@class, "ticket-subject")][contains(., "`+subject+`")]`)),
		waitFor(settled),
	)
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Same     bool   `json:"same"`
		Selected string `json:"selected"`
		Search   string `json:"search"`
		New      bool   `json:"new"`
	}](`(() => {
		const sel = document.querySelector("#ticket-list .ticket-row.is-selected");
		return {same: window.stillTheSamePage === true, selected: sel ? sel.dataset.href : "",
			search: document.getElementById("search").value,
			new: document.querySelector("#ticket-list .ticket-row").classList.contains("is-new")};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !kept.Same || kept.Selected != selected || kept.Search != "halv" || !kept.New {
		t.Errorf("the live update lost the page's state: %+v (the selected row was %s, the search box had \"halv\")", kept, selected)
	}
	cs, err := st.FindCustomers(context.Background(), "maja@kunde.dk", 1)
	if err != nil || len(cs) != 1 {
		t.Fatalf("customer: %v %v", cs, err)
	}
	tickets, _ := st.CustomerTickets(context.Background(), cs[0].ID, 1)
	tk := tickets[0]
	relay.Wait(t, 1, stepBound) // the confirmation
	relay.Hold()

	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "the page hears the ticket's events", waitFor(liveOpen))
	reply := "Hej Maja\nDet er ærgerligt, at pakken ikke er kommet. Jeg har sendt en ny pakke i dag, så du har den i morgen.\nVenlig hilsen\nAnna"
	noErrors(t, reply)
	step(t, ctx, "type a reply", typeAtEnd(reply), waitFor(bodyIs(reply)+" && "+coachAnswered))
	pressSend(t, ctx)
	step(t, ctx, "the reply's mail is on its way",
		waitFor(`(() => { const s = document.querySelector("#thread [data-mail-state]"); return !!s && (s.dataset.mailState === "queued" || s.dataset.mailState === "sending"); })()`))
	relay.Release()
	step(t, ctx, "the reply's mail is sent, and the page says so without a reload",
		waitFor(`(() => { const s = document.querySelector("#thread [data-mail-state]"); return !!s && s.dataset.mailState === "sent"; })()`))
	got := relay.Wait(t, 2, stepBound)
	p, err := mail.Parse(got[1].Raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.InReplyTo[0] != "e2e-1@kunde.dk" || p.Subject != fmt.Sprintf("Re: Min pakke fra e-mail er ikke kommet [#%d]", tk.Number) {
		t.Errorf("the reply: %+v", p)
	}
}
