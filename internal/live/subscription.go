package live

import "sync"

// bufferSize bounds the events queued for one page that is not reading.
const bufferSize = 32

// Subscription is one open page: read Events until Close (or until the service closes it).
type Subscription struct {
	hub      *Hub
	ticketID int64
	viewer   Viewer
	desk     bool // an inbox page's: it hears TypeInbox events, not a ticket's
	out      chan Event
	wake     chan struct{} // capacity 1: "the queue may have something"
	done     chan struct{} // closed by the hub, under its lock, when the page is gone

	mu    sync.Mutex
	queue []Event
}

func newSubscription(h *Hub, ticketID int64, v Viewer) *Subscription {
	s := &Subscription{
		hub: h, ticketID: ticketID, viewer: v,
		out:  make(chan Event),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	go s.pump()
	return s
}

// endedSubscription is one whose channel is already closed: the service had shut down, or never listens.
func endedSubscription(h *Hub, ticketID int64, v Viewer) *Subscription {
	s := &Subscription{hub: h, ticketID: ticketID, viewer: v, out: make(chan Event)}
	close(s.out)
	return s
}

// Events delivers the page's events in order; it is closed when the subscription ends.
func (s *Subscription) Events() <-chan Event { return s.out }

// Close ends the subscription and tells the ticket's other pages; calling it again does nothing.
func (s *Subscription) Close() {
	if s.hub != nil {
		s.hub.remove(s)
	}
}

// push never blocks; on overflow it drops the oldest event a later one of its type supersedes, so the latest of each type always arrives.
func (s *Subscription) push(e Event) {
	s.mu.Lock()
	s.queue = append(s.queue, e)
	if len(s.queue) > bufferSize {
		s.queue = dropSuperseded(s.queue)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // the pump is already woken
	}
}

// dropSuperseded removes the oldest event whose type occurs again later, or the oldest of all if none does.
func dropSuperseded(q []Event) []Event {
	last := make(map[string]int, 4)
	for i, e := range q {
		last[e.Type] = i
	}
	drop := 0
	for i, e := range q {
		if last[e.Type] != i {
			drop = i
			break
		}
	}
	return append(q[:drop], q[drop+1:]...)
}

func (s *Subscription) pop() (Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return Event{}, false
	}
	e := s.queue[0]
	s.queue[0] = Event{} // let the viewer list be collected
	s.queue = s.queue[1:]
	return e, true
}

// pump hands queued events to the reader one at a time, so Publish never waits for it.
func (s *Subscription) pump() {
	defer close(s.out)
	for {
		select {
		case <-s.wake:
		case <-s.done:
			return
		}
		for e, ok := s.pop(); ok; e, ok = s.pop() {
			select {
			case s.out <- e:
			case <-s.done:
				return
			}
		}
	}
}
