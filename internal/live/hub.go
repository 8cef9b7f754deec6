package live

import (
	"cmp"
	"slices"
	"sync"
)

// Hub is the in-process Service: one instance sees every page.
type Hub struct {
	// One lock for all tickets keeps each page's events, presence included, in publish order.
	mu      sync.Mutex
	closed  bool
	tickets map[int64]map[*Subscription]struct{} // only tickets with open pages
}

var _ Service = (*Hub)(nil)

// NewHub returns an empty, open hub.
func NewHub() *Hub {
	return &Hub{tickets: make(map[int64]map[*Subscription]struct{})}
}

// Publish sends e to the ticket's open pages; after Close it does nothing.
func (h *Hub) Publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.publishLocked(e)
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
	return s
}

// remove ends s if it is still open; the ticket's entry goes with its last page.
func (h *Hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	subs := h.tickets[s.ticketID]
	if _, ok := subs[s]; !ok {
		return // already closed, by the page or by Hub.Close
	}
	delete(subs, s)
	close(s.done)
	if len(subs) == 0 {
		delete(h.tickets, s.ticketID)
		return
	}
	h.publishPresenceLocked(s.ticketID, s.viewer)
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
	var vs []Viewer
	for s := range h.tickets[ticketID] {
		vs = append(vs, s.viewer)
	}
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
}
