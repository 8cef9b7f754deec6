package live

import (
	"context"
	neturl "net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"coachdesk/internal/testkit/pgtest"
)

// fast is the timing of the tests: refreshes and expiry in well under a second.
var fast = timing{
	refresh:    100 * time.Millisecond,
	expire:     400 * time.Millisecond,
	minBackoff: 20 * time.Millisecond,
	maxBackoff: 200 * time.Millisecond,
	closeWait:  2 * time.Second,
}

// instances starts n Postgres services on one fresh database, closed when the test ends.
func instances(t *testing.T, tm timing, n int) (string, []*Postgres) {
	t.Helper()
	url := pgtest.URL(t)
	var ps []*Postgres
	for range n {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p, err := newPostgres(ctx, url, tm)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		ps = append(ps, p)
	}
	return url, ps
}

// nextOther reads the next event that is not presence, or fails the test if none comes within a second.
func nextOther(t *testing.T, s *Subscription) Event {
	t.Helper()
	return nextWithin(t, s, time.Second)
}

// nextWithin is nextOther with a longer wait, for what follows a reconnection.
func nextWithin(t *testing.T, s *Subscription, within time.Duration) Event {
	t.Helper()
	timeout := time.After(within)
	for {
		select {
		case e, ok := <-s.Events():
			if !ok {
				t.Fatal("events channel closed")
			}
			if e.Type != TypePresence {
				return e
			}
		case <-timeout:
			t.Fatalf("no event within %s", within)
		}
	}
}

// eventually fails the test unless cond holds within wait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, wait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func viewersAre(p *Postgres, ticketID int64, want ...Viewer) func() bool {
	return func() bool { return slices.Equal(p.Viewers(ticketID), want) }
}

// exec runs one statement on the test's database.
func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// terminate ends the backend of p's connection for role ("listen" or "send"), as a database restart would.
func terminate(t *testing.T, url string, p *Postgres, role string) {
	t.Helper()
	exec(t, url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
		"coachdesk-live-"+role+"-"+p.instance)
}

func TestPostgresEventReachesOtherInstance(t *testing.T) {
	_, ps := instances(t, defaultTiming, 2)
	a, b := ps[0], ps[1]
	page := a.Subscribe(7, ana)
	defer page.Close()
	inbox := a.SubscribeDesk(a.DeskSeq())
	defer inbox.Close()
	start := a.DeskSeq()

	b.Publish(Event{Type: TypeMessage, TicketID: 7, ActorID: 2, ActorName: "Ben", MessageID: 3, Kind: "reply", Listed: true})
	want := Event{Type: TypeMessage, TicketID: 7, ActorID: 2, ActorName: "Ben", MessageID: 3, Kind: "reply"}
	if e := nextOther(t, page); e.Type != want.Type || e.ActorName != want.ActorName || e.MessageID != 3 || e.Kind != "reply" || e.ActorID != 2 {
		t.Fatalf("A's ticket page heard %+v, want %+v", e, want)
	}
	if e := nextOther(t, inbox); e.Type != TypeInbox || e.TicketID != 7 || e.Seq != start+1 {
		t.Fatalf("A's inbox heard %+v, want an inbox event with A's seq %d", e, start+1)
	}
	if got := a.DeskSeq(); got != start+1 {
		t.Fatalf("A's DeskSeq = %d, want %d", got, start+1)
	}
	// A change the lists do not show reaches the ticket's page only, on every instance.
	b.Publish(Event{Type: TypeTicket, TicketID: 7, MessageID: 3})
	if e := nextOther(t, page); e.Type != TypeTicket {
		t.Fatalf("A's page heard %+v", e)
	}
	quiet(t, inbox)
}

func TestPostgresOwnEventOnce(t *testing.T) {
	_, ps := instances(t, defaultTiming, 2)
	a, b := ps[0], ps[1]
	onA := a.Subscribe(1, ana)
	defer onA.Close()
	onB := b.Subscribe(1, ben)
	defer onB.Close()

	a.Publish(Event{Type: TypeMessage, TicketID: 1, MessageID: 1, Listed: true})
	if e := nextOther(t, onA); e.MessageID != 1 {
		t.Fatalf("A heard %+v", e)
	}
	// B heard it, so A's notification is in; B's next one comes after it on A's listener too.
	if e := nextOther(t, onB); e.MessageID != 1 {
		t.Fatalf("B heard %+v", e)
	}
	b.Publish(Event{Type: TypeMessage, TicketID: 1, MessageID: 2})
	if e := nextOther(t, onA); e.MessageID != 2 {
		t.Fatalf("after its own event A heard %+v, want B's message 2 (its own echo came back)", e)
	}
}

func TestPostgresPresenceAcrossInstances(t *testing.T) {
	_, ps := instances(t, defaultTiming, 2)
	a, b := ps[0], ps[1]
	onB := b.Subscribe(5, ben)
	presence(t, onB, ben)
	onA := a.Subscribe(5, ana)
	eventually(t, "B lists A's viewer", viewersAre(b, 5, ana, ben))
	presence(t, onB, ana, ben) // B's page is told
	eventually(t, "A lists B's viewer", viewersAre(a, 5, ana, ben))
	a2 := a.Subscribe(5, ana) // a second tab: still listed once
	defer a2.Close()
	onA.Close()
	a2.Close()
	eventually(t, "A's viewer leaves B's list", viewersAre(b, 5, ben))
	if vs := b.Viewers(6); len(vs) != 0 {
		t.Fatalf("another ticket lists %v", vs)
	}
	onB.Close()
	eventually(t, "B's viewer leaves A's list", viewersAre(a, 5))
}

func TestPostgresLateInstanceHearsViewers(t *testing.T) {
	url, ps := instances(t, defaultTiming, 1)
	a := ps[0]
	s := a.Subscribe(9, ana)
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := newPostgres(ctx, url, defaultTiming)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// Its hello is answered at once, long before the 10 s refresh.
	deadline := time.Now().Add(time.Second)
	for !slices.Equal(b.Viewers(9), []Viewer{ana}) {
		if time.Now().After(deadline) {
			t.Fatalf("a new instance lists %v after a second, want Ana", b.Viewers(9))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPostgresDeadInstanceLeavesNoGhosts(t *testing.T) {
	_, ps := instances(t, fast, 2)
	a, b := ps[0], ps[1]
	onB := b.Subscribe(3, ben)
	defer onB.Close()
	a.Subscribe(3, ana)
	eventually(t, "B lists A's viewer", viewersAre(b, 3, ana, ben))
	time.Sleep(3 * fast.expire) // refreshes keep it there
	if !slices.Equal(b.Viewers(3), []Viewer{ana, ben}) {
		t.Fatalf("A's refreshed viewer expired: %v", b.Viewers(3))
	}
	a.shutdown(false) // dies: no goodbye
	eventually(t, "A's viewer expires on B", viewersAre(b, 3, ben))
	for e := next(t, onB); !slices.Equal(e.Viewers, []Viewer{ben}); e = next(t, onB) {
	}
}

func TestPostgresReconnects(t *testing.T) {
	url, ps := instances(t, fast, 2)
	a, b := ps[0], ps[1]
	page := a.Subscribe(4, ana)
	defer page.Close()
	inbox := a.SubscribeDesk(a.DeskSeq())
	defer inbox.Close()
	before := a.DeskSeq()

	terminate(t, url, a, "listen")
	if e := nextWithin(t, page, wait); e.Type != TypeTicket || e.TicketID != 4 {
		t.Fatalf("after reconnecting A's ticket page heard %+v, want a refetch", e)
	}
	if e := nextOther(t, inbox); e.Type != TypeInbox || e.Seq != before+1 {
		t.Fatalf("after reconnecting A's inbox heard %+v, want a refetch with seq %d", e, before+1)
	}
	b.Publish(Event{Type: TypeMessage, TicketID: 4, MessageID: 8, Listed: true})
	if e := nextOther(t, page); e.MessageID != 8 {
		t.Fatalf("after reconnecting A heard %+v, want B's message", e)
	}
	nextOther(t, inbox)

	// A sender that lost its connection sends the event again on a new one.
	terminate(t, url, b, "send")
	b.Publish(Event{Type: TypeMessage, TicketID: 4, MessageID: 9})
	if e := nextWithin(t, page, wait); e.MessageID != 9 {
		t.Fatalf("after B's sender reconnected A heard %+v, want message 9", e)
	}
}

func TestPostgresDatabaseAway(t *testing.T) {
	url, ps := instances(t, fast, 2)
	a, b := ps[0], ps[1]
	page := a.Subscribe(2, ana)
	defer page.Close()
	onB := b.Subscribe(2, ben)
	defer onB.Close()
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin := pgtest.Server(t)

	start := time.Now()
	// Nobody can connect, and B's sender lost its connection: B cannot notify for a while.
	exec(t, admin, "ALTER DATABASE "+name+" WITH ALLOW_CONNECTIONS false")
	terminate(t, admin, b, "send")
	published := make(chan struct{})
	go func() {
		for i := range 2 * outboxSize {
			b.Publish(Event{Type: TypeMessage, TicketID: 2, MessageID: int64(i + 1)})
		}
		close(published)
	}()
	select {
	case <-published:
	case <-time.After(wait):
		t.Fatal("Publish blocked while the database was away")
	}
	// B's own page still hears B's events.
	var last Event
	for last.MessageID != 2*outboxSize {
		last = nextOther(t, onB)
	}
	exec(t, admin, "ALTER DATABASE "+name+" WITH ALLOW_CONNECTIONS true")
	t.Logf("the database is back after %s", time.Since(start))
	// Back: B's sender dropped some, so instead of the rest it tells A's pages (whose listener
	// never left) to refetch; later events go out as usual.
	for last = nextWithin(t, page, wait); last.Type != TypeTicket; last = nextWithin(t, page, wait) {
	}
	t.Logf("A's page was told to refetch after %s", time.Since(start))
	b.Publish(Event{Type: TypeMessage, TicketID: 2, MessageID: 5000})
	for last = nextWithin(t, page, wait); last.MessageID != 5000; last = nextWithin(t, page, wait) {
	}
}

func TestPostgresCloseEndsSubscriptions(t *testing.T) {
	_, ps := instances(t, defaultTiming, 2)
	a, b := ps[0], ps[1]
	page := a.Subscribe(1, ana)
	inbox := a.SubscribeDesk(0)
	eventually(t, "B lists A's viewer", viewersAre(b, 1, ana))
	a.Close()
	ended(t, page)
	ended(t, inbox)
	eventually(t, "A's goodbye clears its viewers on B at once", viewersAre(b, 1))
	a.Publish(Event{Type: TypeTicket, TicketID: 1, Listed: true}) // does nothing
	ended(t, a.Subscribe(1, ana))
	ended(t, a.SubscribeDesk(0))
	page.Close()
	a.Close()
}
