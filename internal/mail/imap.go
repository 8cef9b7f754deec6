package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
)

// TakenFlag marks mail Coachdesk has taken. The mail is recorded (and deduplicated by Message-ID)
// before the flag is set, so a crash in between takes it again harmlessly, and a second instance
// that fetched it too writes nothing.
const TakenFlag = "$CoachdeskTaken"

// IMAP is a mailbox on an IMAP server that Coachdesk polls.
type IMAP struct {
	Host      string
	Port      int
	Security  string // tls, starttls or none
	User      string
	Password  string
	Folder    string // INBOX by default
	Done      string // a folder taken mail is moved to; "" leaves it, flagged
	TLSConfig *tls.Config
}

// Poller takes new mail from an IMAP mailbox and hands each one to Take.
type Poller struct {
	IMAP IMAP
	// Take records one mail; an error leaves it unflagged for the next round.
	Take     func(ctx context.Context, raw []byte) error
	Interval time.Duration // how often to look when the server has no IDLE (and at most between looks with it)
	Log      *slog.Logger
}

func (p *Poller) dial() (*client.Client, error) {
	i := p.IMAP
	addr := net.JoinHostPort(i.Host, strconv.Itoa(i.Port))
	cfg := i.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: i.Host}
	}
	var c *client.Client
	var err error
	if i.Security == "tls" {
		c, err = client.DialTLS(addr, cfg)
	} else {
		c, err = client.Dial(addr)
	}
	if err != nil {
		return nil, fmt.Errorf("imap: connect to %s: %w", addr, err)
	}
	c.Timeout = 2 * time.Minute
	if i.Security == "starttls" {
		if err := c.StartTLS(cfg); err != nil {
			c.Logout()
			return nil, fmt.Errorf("imap: STARTTLS with %s: %w", addr, err)
		}
	}
	if err := c.Login(i.User, i.Password); err != nil {
		c.Logout()
		return nil, fmt.Errorf("imap: sign in as %s: %w", i.User, err)
	}
	return c, nil
}

// PollOnce connects, takes what is new and disconnects; it returns how many mails it took.
func (p *Poller) PollOnce(ctx context.Context) (int, error) {
	c, err := p.dial()
	if err != nil {
		return 0, err
	}
	defer c.Logout()
	return p.takeAll(ctx, c)
}

func (p *Poller) folder() string {
	if p.IMAP.Folder == "" {
		return "INBOX"
	}
	return p.IMAP.Folder
}

// takeAll fetches every mail without the taken flag, hands each to Take, then flags (and moves) it.
func (p *Poller) takeAll(ctx context.Context, c *client.Client) (int, error) {
	if _, err := c.Select(p.folder(), false); err != nil {
		return 0, fmt.Errorf("imap: open %s: %w", p.folder(), err)
	}
	crit := imap.NewSearchCriteria()
	crit.WithoutFlags = []string{TakenFlag, imap.DeletedFlag}
	uids, err := c.UidSearch(crit)
	if err != nil {
		return 0, fmt.Errorf("imap: search: %w", err)
	}
	taken := 0
	// One mail at a time: a big mail is held in memory once, and a crash leaves the rest untouched.
	for _, uid := range uids {
		if ctx.Err() != nil {
			return taken, nil
		}
		raw, err := fetch(c, uid)
		if err != nil {
			return taken, err
		}
		if raw == nil {
			continue // gone since the search
		}
		if err := p.Take(ctx, raw); err != nil {
			return taken, fmt.Errorf("imap: take mail %d: %w", uid, err)
		}
		if err := p.markTaken(c, uid); err != nil {
			return taken, err
		}
		taken++
	}
	return taken, nil
}

func fetch(c *client.Client, uid uint32) ([]byte, error) {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	section := &imap.BodySectionName{Peek: true}
	ch := make(chan *imap.Message, 1)
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(set, []imap.FetchItem{section.FetchItem(), imap.FetchUid}, ch) }()
	var raw []byte
	for msg := range ch {
		if r := msg.GetBody(section); r != nil {
			b, err := io.ReadAll(io.LimitReader(r, MaxMessage+1))
			if err != nil {
				return nil, err
			}
			raw = b
		}
	}
	if err := <-done; err != nil {
		return nil, fmt.Errorf("imap: fetch %d: %w", uid, err)
	}
	return raw, nil
}

func (p *Poller) markTaken(c *client.Client, uid uint32) error {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	flags := []interface{}{TakenFlag, imap.SeenFlag}
	if err := c.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), flags, nil); err != nil {
		return fmt.Errorf("imap: flag %d as taken: %w", uid, err)
	}
	if p.IMAP.Done == "" {
		return nil
	}
	if err := c.UidMove(set, p.IMAP.Done); err != nil {
		return fmt.Errorf("imap: move %d to %s: %w", uid, p.IMAP.Done, err)
	}
	return nil
}

// Run polls until ctx ends: it keeps one connection, takes what is new, then waits in IDLE where
// the server offers it (every Interval otherwise), and reconnects after an error with a growing pause.
func (p *Poller) Run(ctx context.Context) {
	if p.Interval == 0 {
		p.Interval = time.Minute
	}
	pause := time.Second
	for ctx.Err() == nil {
		err := p.session(ctx)
		if ctx.Err() != nil {
			return
		}
		p.Log.Warn("imap: polling stopped; connecting again", "host", p.IMAP.Host, "user", p.IMAP.User, "in", pause, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, 5*time.Minute)
	}
}

func (p *Poller) session(ctx context.Context) error {
	c, err := p.dial()
	if err != nil {
		return err
	}
	updates := make(chan client.Update, 16)
	kick := make(chan struct{}, 1)
	c.Updates = updates
	go func() {
		for range updates {
			select {
			case kick <- struct{}{}:
			default:
			}
		}
	}()
	defer func() {
		c.Logout()
		close(updates)
	}()
	idle, _ := c.Support("IDLE")
	for {
		if _, err := p.takeAll(ctx, c); err != nil {
			return err
		}
		if !idle {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(p.Interval):
			}
			continue
		}
		stop := make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- c.Idle(stop, &client.IdleOptions{LogoutTimeout: 20 * time.Minute}) }()
		select {
		case <-ctx.Done():
		case <-kick:
		case <-time.After(p.Interval):
		case err := <-done:
			return errors.Join(errors.New("imap: IDLE ended"), err)
		}
		close(stop)
		if err := <-done; err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}
