package live

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Hub is the in-process Service: one instance sees every page.
type Hub struct {
	// One lock for all tickets keeps each page's events, presence included, in publish order.
	mu      sync.Mutex
	closed  bool
	tickets map[int64]map[*Subscription]struct{} // only tickets with open pages
	desk    map[*Subscription]struct{}           // open inbox pages
	deskSeq uint64                               // the Seq of the latest TypeInbox event
	// remote and onPresence are for a Service that spans instances (Postgres); a plain Hub leaves them empty.
	remote     map[int64][]Viewer                                 // viewers on other instances, by ticket
	onPresence func(ticketID int64, local []Viewer, actor Viewer) // called under mu when this hub's viewers of a ticket change
}

var _ Service = (*Hub)(nil)

// NewHub returns an empty, open hub. Its inbox events are numbered from the time it starts (in
// microseconds), so an inbox page that reconnects after a restart with an older number hears one.
func NewHub() *Hub {
	return &Hub{
		tickets: make(map[int64]map[*Subscription]struct{}),
		desk:    make(map[*Subscription]struct{}),
		deskSeq: uint64(time.Now().UnixMicro()),
	}
}

// Publish sends e to the ticket's open pages, and a Listed one to the inbox pages as a TypeInbox
// event; after Close it does nothing.
func (h *Hub) Publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.publishLocked(e)
	if e.Listed {
		h.deskSeq++
		for s := range h.desk {
			s.push(Event{Type: TypeInbox, TicketID: e.TicketID, Seq: h.deskSeq})
		}
	}
}

func (h *Hub) publishLocked(e Event) {
	for s := range h.tickets[e.TicketID] {
		ev := e
		ev.Viewers = slices.Clone(e.Viewers) // each page may keep or change its own copy
		s.push(ev)
	}
}

// Subscribe opens a page and sends the new viewer list to all the ticket's pages, this one included.
// After Close it returns a subscription whose channel is already closed.
func (h *Hub) Subscribe(ticketID int64, v Viewer) *Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return endedSubscription(h, ticketID, v)
	}
	s := newSubscription(h, ticketID, v)
	subs := h.tickets[ticketID]
	if subs == nil {
		subs = make(map[*Subscription]struct{})
		h.tickets[ticketID] = subs
	}
	subs[s] = struct{}{}
	h.publishPresenceLocked(ticketID, v)
	h.announceLocked(ticketID, v)
	return s
}

// SubscribeDesk opens an inbox page; it hears one TypeInbox event at once when since is not the
// latest Seq. After Close it returns a subscription whose channel is already closed.
func (h *Hub) SubscribeDesk(since uint64) *Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return endedSubscription(h, 0, Viewer{})
	}
	s := newSubscription(h, 0, Viewer{})
	s.desk = true
	h.desk[s] = struct{}{}
	if since != h.deskSeq {
		s.push(Event{Type: TypeInbox, Seq: h.deskSeq})
	}
	return s
}

// DeskSeq is the Seq of the latest TypeInbox event.
func (h *Hub) DeskSeq() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.deskSeq
}

// remove ends s if it is still open; the ticket's entry goes with its last page.
func (h *Hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.desk {
		if _, ok := h.desk[s]; ok {
			delete(h.desk, s)
			close(s.done)
		}
		return
	}
	subs := h.tickets[s.ticketID]
	if _, ok := subs[s]; !ok {
		return // already closed, by the page or by Hub.Close
	}
	delete(subs, s)
	close(s.done)
	if len(subs) == 0 {
		delete(h.tickets, s.ticketID)
	} else {
		h.publishPresenceLocked(s.ticketID, s.viewer)
	}
	h.announceLocked(s.ticketID, s.viewer)
}

func (h *Hub) publishPresenceLocked(ticketID int64, actor Viewer) {
	h.publishLocked(Event{
		Type:      TypePresence,
		TicketID:  ticketID,
		ActorID:   actor.UserID,
		ActorName: actor.Name,
		Viewers:   h.viewersLocked(ticketID),
	})
}

// Viewers lists each user viewing the ticket once, ordered by name, then id.
func (h *Hub) Viewers(ticketID int64) []Viewer {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.viewersLocked(ticketID)
}

func (h *Hub) viewersLocked(ticketID int64) []Viewer {
	vs := slices.Clone(h.remote[ticketID])
	for s := range h.tickets[ticketID] {
		vs = append(vs, s.viewer)
	}
	return sortViewers(vs)
}

// sortViewers orders vs by name, then id, and keeps each user once.
func sortViewers(vs []Viewer) []Viewer {
	slices.SortFunc(vs, func(a, b Viewer) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.UserID, b.UserID))
	})
	// A user with two tabs is listed once, under whichever of their entries sorts first.
	seen := make(map[int64]bool, len(vs))
	return slices.DeleteFunc(vs, func(v Viewer) bool {
		dup := seen[v.UserID]
		seen[v.UserID] = true
		return dup
	})
}

// Close ends every subscription (server shutdown); later Publish calls do nothing.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for id, subs := range h.tickets {
		for s := range subs {
			close(s.done)
		}
		delete(h.tickets, id)
	}
	for s := range h.desk {
		close(s.done)
		delete(h.desk, s)
	}
}
