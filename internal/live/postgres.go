package live

// Postgres is the Service for several coachdesk instances on one PostgreSQL database. How the
// app chooses (internal/app, when it opens the store):
//
//	events := live.Service(live.NewHub())            // SQLite: one process sees every page
//	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
//		pg, err := live.NewPostgres(ctx, dbURL)      // several instances share the events
//		if err != nil { return err }
//		events = pg
//	}
//	desk := helpdesk.New(st, events, coach.Default()) // helpdesk.Close closes it at shutdown
//
// Each instance keeps a Hub for its own pages. Publish delivers to them at once and sends the
// event with NOTIFY on one channel; a listener connection hears every instance's notifications
// and hands the others' events to the Hub (an instance skips its own echo by the id it tags them
// with, so its pages hear an event once, even while the database is away). Presence travels the
// same way: each instance announces its viewers of a ticket when they change and all of them
// every refresh, and an instance's viewers expire unless refreshed, so one that dies leaves no
// ghosts. After the listener reconnects, every page here refetches once, since notifications
// sent meanwhile are lost.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// channel is the one LISTEN/NOTIFY channel; notifications stay within their database.
const channel = "coachdesk_live"

// timing is how often things happen; tests shorten it.
type timing struct {
	refresh    time.Duration // every instance announces all its viewers this often
	expire     time.Duration // another instance's viewers are forgotten when not refreshed this long
	minBackoff time.Duration // the first wait before reconnecting, doubling up to maxBackoff
	maxBackoff time.Duration
	closeWait  time.Duration // how long Close tries to send what is queued
}

var defaultTiming = timing{
	refresh:    10 * time.Second,
	expire:     35 * time.Second,
	minBackoff: 100 * time.Millisecond,
	maxBackoff: 5 * time.Second,
	closeWait:  2 * time.Second,
}

// Postgres is a Service shared by every instance on one PostgreSQL database.
type Postgres struct {
	hub      *Hub
	instance string // tags this instance's notifications
	listenCf *pgx.ConnConfig
	sendCf   *pgx.ConnConfig
	timing   timing
	out      *outbox

	mu     sync.Mutex                         // guards remote; held while handing it to the hub, so updates arrive in order
	remote map[int64]map[string]remoteViewers // other instances' viewers, by ticket and instance

	ctx        context.Context // ends the listener and the refresh at Close
	cancel     context.CancelFunc
	sendCtx    context.Context // ends the sender once it drained, or closeWait after Close
	sendCancel context.CancelFunc
	closeOnce  sync.Once
	wg         sync.WaitGroup
}

// remoteViewers is what one instance last said about one ticket.
type remoteViewers struct {
	viewers []Viewer
	until   time.Time // forgotten after this unless refreshed
}

var _ Service = (*Postgres)(nil)

// NewPostgres connects to the database at url (postgres://…) and starts listening; ctx bounds
// the first connection only. Close it at shutdown.
func NewPostgres(ctx context.Context, url string) (*Postgres, error) {
	return newPostgres(ctx, url, defaultTiming)
}

func newPostgres(ctx context.Context, url string, tm timing) (*Postgres, error) {
	cf, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	id := make([]byte, 6)
	_, _ = rand.Read(id)
	p := &Postgres{
		hub:      NewHub(),
		instance: hex.EncodeToString(id),
		timing:   tm,
		out:      newOutbox(),
		remote:   make(map[int64]map[string]remoteViewers),
	}
	// The application names let an operator (and the tests) find each connection in pg_stat_activity.
	p.listenCf, p.sendCf = cf.Copy(), cf.Copy()
	p.listenCf.RuntimeParams["application_name"] = "coachdesk-live-listen-" + p.instance
	p.sendCf.RuntimeParams["application_name"] = "coachdesk-live-send-" + p.instance
	// A notification is lost in a crash either way, so the sender's commits need not wait for the disk.
	p.sendCf.RuntimeParams["synchronous_commit"] = "off"
	p.hub.onPresence = p.announce

	listener, err := p.connectListener(ctx)
	if err != nil {
		return nil, err
	}
	sender, err := pgx.ConnectConfig(ctx, p.sendCf)
	if err != nil {
		listener.Close(context.Background())
		return nil, fmt.Errorf("live: connect: %w", err)
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.sendCtx, p.sendCancel = context.WithCancel(context.Background())
	p.out.push(encodeOp(p.instance, opHello))
	p.wg.Add(3)
	go p.listen(listener)
	go p.send(sender)
	go p.refreshLoop()
	return p, nil
}

// Publish delivers e to this instance's pages at once and queues it for the others; it never
// waits for the database. After Close it does nothing.
func (p *Postgres) Publish(e Event) {
	p.hub.Publish(e)
	p.out.push(encodeEvent(p.instance, e))
}

// Subscribe opens a page here; every instance hears that v is viewing.
func (p *Postgres) Subscribe(ticketID int64, v Viewer) *Subscription {
	return p.hub.Subscribe(ticketID, v)
}

// Viewers lists the ticket's viewers on every instance, each user once, ordered by name, then id.
func (p *Postgres) Viewers(ticketID int64) []Viewer { return p.hub.Viewers(ticketID) }

// SubscribeDesk opens an inbox page here; it hears Listed events from every instance, numbered
// by this instance's DeskSeq.
func (p *Postgres) SubscribeDesk(since uint64) *Subscription { return p.hub.SubscribeDesk(since) }

// DeskSeq is this instance's number of the latest TypeInbox event.
func (p *Postgres) DeskSeq() uint64 { return p.hub.DeskSeq() }

// Close ends every page's subscription, tells the other instances this one's viewers are gone,
// and closes both connections (waiting at most closeWait for the database).
func (p *Postgres) Close() { p.shutdown(true) }

// shutdown without a goodbye is how an instance that dies looks to the others (the tests use it).
func (p *Postgres) shutdown(bye bool) {
	p.closeOnce.Do(func() {
		p.hub.Close()
		p.cancel()
		if bye {
			p.out.pushFinal(encodeOp(p.instance, opBye))
		} else {
			p.sendCancel()
		}
		stop := time.AfterFunc(p.timing.closeWait, p.sendCancel)
		p.wg.Wait()
		stop.Stop()
		p.sendCancel()
	})
}

// announce queues this instance's viewers of a ticket for the others; the Hub calls it, under
// its lock, whenever they change.
func (p *Postgres) announce(ticketID int64, local []Viewer, actor Viewer) {
	p.out.push(encodePresence(p.instance, []presenceEntry{{TicketID: ticketID, Viewers: local, Actor: actor}})...)
}

// announceAll queues every ticket's viewers here: the periodic refresh, and the answer to a hello.
func (p *Postgres) announceAll() {
	local := p.hub.localPresence()
	entries := make([]presenceEntry, 0, len(local))
	for id, vs := range local {
		entries = append(entries, presenceEntry{TicketID: id, Viewers: vs})
	}
	p.out.push(encodePresence(p.instance, entries)...)
}
