package live

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"
)

const wait = 5 * time.Second

var (
	ana = Viewer{UserID: 1, Name: "Ana"}
	ben = Viewer{UserID: 2, Name: "Ben"}
)

// next reads one event or fails the test if none comes.
func next(t *testing.T, s *Subscription) Event {
	t.Helper()
	select {
	case e, ok := <-s.Events():
		if !ok {
			t.Fatal("events channel closed")
		}
		return e
	case <-time.After(wait):
		t.Fatal("no event")
	}
	return Event{}
}

// quiet fails if an event arrives shortly.
func quiet(t *testing.T, s *Subscription) {
	t.Helper()
	select {
	case e, ok := <-s.Events():
		t.Fatalf("unexpected event %+v (open=%v)", e, ok)
	case <-time.After(50 * time.Millisecond):
	}
}

// ended fails unless the events channel closes.
func ended(t *testing.T, s *Subscription) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-s.Events():
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("events channel not closed")
		}
	}
}

func presence(t *testing.T, s *Subscription, want ...Viewer) {
	t.Helper()
	e := next(t, s)
	if e.Type != TypePresence || !slices.Equal(e.Viewers, want) {
		t.Fatalf("got %+v, want presence %v", e, want)
	}
}

func ticketCount(h *Hub) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.tickets)
}

func TestPublishReachesOnlyThatTicket(t *testing.T) {
	h := NewHub()
	defer h.Close()
	a := h.Subscribe(1, ana)
	b := h.Subscribe(2, ben)
	presence(t, a, ana)
	presence(t, b, ben)

	h.Publish(Event{Type: TypeMessage, TicketID: 1, ActorID: 2, ActorName: "Ben", MessageID: 7, Kind: "reply"})
	want := Event{Type: TypeMessage, TicketID: 1, ActorID: 2, ActorName: "Ben", MessageID: 7, Kind: "reply"}
	if e := next(t, a); !reflect.DeepEqual(e, want) {
		t.Fatalf("got %+v, want %+v", e, want)
	}
	quiet(t, b)
	h.Publish(Event{Type: TypeTicket, TicketID: 3})
	quiet(t, a)
	quiet(t, b)
}

func TestPresenceWithTwoTabs(t *testing.T) {
	h := NewHub()
	defer h.Close()
	a1 := h.Subscribe(1, ana)
	presence(t, a1, ana)
	b := h.Subscribe(1, ben)
	presence(t, a1, ana, ben)
	presence(t, b, ana, ben)
	a2 := h.Subscribe(1, ana)
	for _, s := range []*Subscription{a1, b, a2} {
		presence(t, s, ana, ben)
	}

	a1.Close()
	presence(t, b, ana, ben) // Ana still has her other tab
	presence(t, a2, ana, ben)
	ended(t, a1)
	a2.Close()
	presence(t, b, ben)
	if got := h.Viewers(1); !slices.Equal(got, []Viewer{ben}) {
		t.Fatalf("Viewers = %v", got)
	}
}

func TestViewersOrderedByNameThenID(t *testing.T) {
	h := NewHub()
	defer h.Close()
	for _, v := range []Viewer{{9, "Zoe"}, {5, "Ana"}, {3, "Ana"}, {5, "Ana"}} {
		h.Subscribe(1, v)
	}
	want := []Viewer{{3, "Ana"}, {5, "Ana"}, {9, "Zoe"}}
	if got := h.Viewers(1); !slices.Equal(got, want) {
		t.Fatalf("Viewers = %v, want %v", got, want)
	}
}

func TestSlowSubscriberDoesNotBlockAndKeepsLatest(t *testing.T) {
	h := NewHub() // not closed by defer: if Publish blocked, Close would hang instead of failing
	const n = 10000
	var slow *Subscription // never reads until the end
	published := make(chan struct{})
	go func() {
		slow = h.Subscribe(1, ana) // its presence event must not block either
		for i := 1; i <= n; i++ {
			h.Publish(Event{Type: TypeMessage, TicketID: 1, MessageID: int64(i)})
			h.Publish(Event{Type: TypeTicket, TicketID: 1, ActorID: int64(i)})
		}
		h.Publish(Event{Type: "end", TicketID: 1})
		close(published)
	}()
	select {
	case <-published:
	case <-time.After(wait):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}
	slow.mu.Lock()
	queued := len(slow.queue)
	slow.mu.Unlock()
	if queued > bufferSize {
		t.Fatalf("%d events queued, want at most %d", queued, bufferSize)
	}

	latest := map[string]Event{}
	var lastMsg int64
	for e := next(t, slow); e.Type != "end"; e = next(t, slow) {
		if e.Type == TypeMessage {
			if e.MessageID <= lastMsg {
				t.Fatalf("message %d after %d: out of order", e.MessageID, lastMsg)
			}
			lastMsg = e.MessageID
		}
		latest[e.Type] = e
	}
	if latest[TypeMessage].MessageID != n || latest[TypeTicket].ActorID != n {
		t.Fatalf("latest events lost: %+v", latest)
	}
	if !slices.Equal(latest[TypePresence].Viewers, []Viewer{ana}) {
		t.Fatalf("latest presence lost: %+v", latest[TypePresence])
	}
	h.Close()
}

func TestDropSuperseded(t *testing.T) {
	ev := func(typ string, id int64) Event { return Event{Type: typ, MessageID: id} }
	q := []Event{ev("presence", 1), ev("message", 2), ev("ticket", 3), ev("message", 4)}
	got := dropSuperseded(slices.Clone(q))
	if want := []Event{q[0], q[2], q[3]}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	distinct := []Event{ev("a", 1), ev("b", 2)}
	if got := dropSuperseded(distinct); len(got) != 1 || got[0].Type != "b" {
		t.Fatalf("with no repeats the oldest goes: got %v", got)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	h := NewHub()
	defer h.Close()
	a := h.Subscribe(1, ana)
	b := h.Subscribe(1, ben)
	presence(t, b, ana, ben)
	a.Close()
	a.Close()
	presence(t, b, ben)
	quiet(t, b) // the second Close announced nothing
	ended(t, a)
	b.Close()
	b.Close()
	ended(t, b)
}

func TestHubCloseEndsSubscriptions(t *testing.T) {
	h := NewHub()
	a := h.Subscribe(1, ana)
	b := h.Subscribe(2, ben)
	h.Close()
	ended(t, a)
	ended(t, b)
	a.Close() // after shutdown, still safe
	h.Close()

	late := h.Subscribe(1, ana)
	select {
	case _, ok := <-late.Events():
		if ok {
			t.Fatal("subscription after Close delivered an event")
		}
	default:
		t.Fatal("subscription after Close is not already closed")
	}
	h.Publish(Event{Type: TypeTicket, TicketID: 1})
	late.Close()
	if n := ticketCount(h); n != 0 {
		t.Fatalf("%d tickets kept after Close", n)
	}
}

func TestEmptyTicketsAreRemoved(t *testing.T) {
	h := NewHub()
	defer h.Close()
	h.Publish(Event{Type: TypeTicket, TicketID: 1})
	if n := ticketCount(h); n != 0 {
		t.Fatalf("publishing to a ticket nobody views kept %d entries", n)
	}
	subs := []*Subscription{h.Subscribe(1, ana), h.Subscribe(1, ana), h.Subscribe(2, ben)}
	if n := ticketCount(h); n != 2 {
		t.Fatalf("ticketCount = %d, want 2", n)
	}
	for _, s := range subs {
		s.Close()
	}
	if n := ticketCount(h); n != 0 {
		t.Fatalf("ticketCount = %d after every page closed", n)
	}
	if v := h.Viewers(1); len(v) != 0 {
		t.Fatalf("Viewers = %v after every page closed", v)
	}
}

func TestConcurrentUse(t *testing.T) {
	h := NewHub()
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := range 500 {
				h.Publish(Event{Type: TypeMessage, TicketID: int64(i % 3), MessageID: int64(p*1000 + i)})
			}
		})
	}
	for u := range 8 {
		wg.Go(func() {
			for i := range 50 {
				s := h.Subscribe(int64(i%3), Viewer{UserID: int64(u % 3), Name: fmt.Sprint("user", u%3)})
				for range 3 {
					select {
					case <-s.Events():
					case <-time.After(time.Millisecond):
					}
				}
				h.Viewers(int64(i % 3))
				done := make(chan struct{})
				go func() { s.Close(); close(done) }()
				s.Close() // racing itself
				<-done
			}
		})
	}
	wg.Wait()
	if n := ticketCount(h); n != 0 {
		t.Fatalf("%d tickets kept after every page closed", n)
	}

	// Shutdown racing with pages still coming and going; the test times out if one is never ended.
	for u := range 4 {
		wg.Go(func() {
			s := h.Subscribe(1, Viewer{UserID: int64(u), Name: "x"})
			h.Publish(Event{Type: TypeTicket, TicketID: 1})
			for range s.Events() { // ends when Close does
			}
		})
	}
	wg.Go(h.Close)
	wg.Wait()
}
