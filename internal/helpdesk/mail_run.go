package helpdesk

import (
	"context"
	"crypto/tls"
	"fmt"
	"sync"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/mail"
)

// MailOptions tune the running mail channel; the zero value is what `serve` uses.
type MailOptions struct {
	Relay          RelayFor      // how the outbox reaches a mailbox's SMTP server (DefaultRelay)
	IMAPTLS        *tls.Config   // nil: verify the IMAP server's certificate as usual
	PollInterval   time.Duration // between looks at an IMAP mailbox without IDLE (1 min)
	OutboxInterval time.Duration // between looks at the outbox (2 s)
	ReloadInterval time.Duration // between reading the mailboxes' settings again (30 s)
}

// Run sends the outbox and polls every active IMAP mailbox until ctx ends, picking up mailboxes
// admins add or change as it goes. It returns when everything it started has stopped.
func (m *Mail) Run(ctx context.Context, opt MailOptions) {
	if opt.Relay == nil {
		opt.Relay = DefaultRelay
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = time.Minute
	}
	if opt.OutboxInterval == 0 {
		opt.OutboxInterval = 2 * time.Second
	}
	if opt.ReloadInterval == 0 {
		opt.ReloadInterval = 30 * time.Second
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.RunOutbox(ctx, opt.Relay, opt.OutboxInterval, nil) }()
	type running struct {
		key    string
		cancel context.CancelFunc
	}
	pollers := map[int64]running{}
	reload := func() {
		boxes, err := m.desk.store.Mailboxes(ctx)
		if err != nil {
			m.log.Error("mail: read mailboxes", "err", err)
			return
		}
		seen := map[int64]bool{}
		for _, b := range boxes {
			if !b.Active || b.IMAPHost == "" {
				continue
			}
			imapPass, _, err := m.Passwords(ctx, b)
			if err != nil {
				m.log.Error("mail: mailbox password", "mailbox", b.Address, "err", err)
				continue
			}
			seen[b.ID] = true
			key := fmt.Sprint(b.IMAPHost, b.IMAPPort, b.IMAPSecurity, b.IMAPUser, b.IMAPFolder, b.IMAPDone, imapPass)
			if r, ok := pollers[b.ID]; ok && r.key == key {
				continue
			} else if ok {
				r.cancel()
			}
			pctx, cancel := context.WithCancel(ctx)
			pollers[b.ID] = running{key: key, cancel: cancel}
			p := m.poller(b, imapPass, opt)
			wg.Add(1)
			go func() { defer wg.Done(); p.Run(pctx) }()
			m.log.Info("mail: polling", "mailbox", b.Address, "imap", b.IMAPHost, "folder", b.IMAPFolder)
		}
		for id, r := range pollers {
			if !seen[id] {
				r.cancel()
				delete(pollers, id)
			}
		}
	}
	reload()
	t := time.NewTicker(opt.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-t.C:
			reload()
		}
	}
}

func (m *Mail) poller(b desk.Mailbox, password string, opt MailOptions) *mail.Poller {
	return &mail.Poller{
		IMAP: mail.IMAP{Host: b.IMAPHost, Port: b.IMAPPort, Security: b.IMAPSecurity, User: b.IMAPUser, Password: password,
			Folder: b.IMAPFolder, Done: b.IMAPDone, TLSConfig: opt.IMAPTLS},
		Take: func(ctx context.Context, raw []byte) error {
			_, err := m.Receive(ctx, b.ID, "imap", raw)
			return err
		},
		Interval: opt.PollInterval,
		Log:      m.log,
	}
}

// Listener is the SMTP listener for mail routed straight to Coachdesk: it takes mail for the
// active mailboxes' addresses only.
func (m *Mail) Listener() *mail.Listener {
	return &mail.Listener{
		Mailbox: func(ctx context.Context, rcpt string) (int64, bool) {
			b, err := m.desk.store.MailboxByAddress(ctx, rcpt)
			return b.ID, err == nil
		},
		Deliver: func(ctx context.Context, mailboxID int64, raw []byte) error {
			_, err := m.Receive(ctx, mailboxID, "smtp", raw)
			return err
		},
		Log: m.log,
	}
}
