package live

import "slices"

// What a Service spanning several instances (Postgres) needs from the Hub that serves its own pages.

// announceLocked tells onPresence this hub's viewers of the ticket, after one came or went.
func (h *Hub) announceLocked(ticketID int64, actor Viewer) {
	if h.onPresence != nil {
		h.onPresence(ticketID, h.localViewersLocked(ticketID), actor)
	}
}

// localViewersLocked lists the ticket's viewers on this hub's own pages, each user once.
func (h *Hub) localViewersLocked(ticketID int64) []Viewer {
	var vs []Viewer
	for s := range h.tickets[ticketID] {
		vs = append(vs, s.viewer)
	}
	return sortViewers(vs)
}

// localPresence lists the viewers of every ticket with a page open on this hub.
func (h *Hub) localPresence() map[int64][]Viewer {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[int64][]Viewer, len(h.tickets))
	for id := range h.tickets {
		out[id] = h.localViewersLocked(id)
	}
	return out
}

// setRemote replaces the ticket's viewers on other instances and, when they changed, tells the
// ticket's pages here the whole list.
func (h *Hub) setRemote(ticketID int64, vs []Viewer, actor Viewer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || slices.Equal(h.remote[ticketID], vs) {
		return
	}
	if h.remote == nil {
		h.remote = make(map[int64][]Viewer)
	}
	if len(vs) == 0 {
		delete(h.remote, ticketID)
	} else {
		h.remote[ticketID] = slices.Clone(vs)
	}
	h.publishPresenceLocked(ticketID, actor)
}

// refetchAll tells every open page to load itself again (events may have been missed): a
// TypeTicket event to each ticket's pages and one TypeInbox event to the inbox pages.
func (h *Hub) refetchAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	for id := range h.tickets {
		h.publishLocked(Event{Type: TypeTicket, TicketID: id})
	}
	h.deskSeq++
	for s := range h.desk {
		s.push(Event{Type: TypeInbox, Seq: h.deskSeq})
	}
}
