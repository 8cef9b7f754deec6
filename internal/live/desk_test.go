package live

import "testing"

func TestDeskHearsListedEvents(t *testing.T) {
	h := NewHub()
	defer h.Close()
	inbox := h.SubscribeDesk(h.DeskSeq())
	defer inbox.Close()
	page := h.Subscribe(7, ana)
	defer page.Close()
	presence(t, page, ana)
	quiet(t, inbox) // nothing happened since the page read DeskSeq; opening a ticket is no list change

	start := h.DeskSeq()
	h.Publish(Event{Type: TypeCreated, TicketID: 9, Listed: true})
	if e := next(t, inbox); e.Type != TypeInbox || e.TicketID != 9 || e.Seq != start+1 {
		t.Errorf("a new ticket: the inbox heard %+v, want an inbox event with seq %d", e, start+1)
	}
	h.Publish(Event{Type: TypeMessage, TicketID: 7, MessageID: 3, Listed: true})
	if e := next(t, page); e.Type != TypeMessage {
		t.Errorf("the ticket's page heard %+v", e)
	}
	if e := next(t, inbox); e.Type != TypeInbox || e.Seq != start+2 {
		t.Errorf("a new message: the inbox heard %+v", e)
	}
	// A change the lists do not show (a reply's mail state) reaches the ticket's page only.
	h.Publish(Event{Type: TypeTicket, TicketID: 7, MessageID: 3})
	next(t, page)
	quiet(t, inbox)
	if got := h.DeskSeq(); got != start+2 {
		t.Errorf("DeskSeq = %d, want %d", got, start+2)
	}
	if vs := h.Viewers(7); len(vs) != 1 {
		t.Errorf("an inbox page counts as a viewer: %v", vs)
	}
}

func TestDeskSubscribeCatchesUp(t *testing.T) {
	h := NewHub()
	defer h.Close()
	seq := h.DeskSeq()
	h.Publish(Event{Type: TypeTicket, TicketID: 1, Listed: true})
	// The page read seq, loaded its list, and a ticket changed before its stream opened.
	late := h.SubscribeDesk(seq)
	defer late.Close()
	if e := next(t, late); e.Type != TypeInbox || e.Seq != seq+1 {
		t.Errorf("a page that missed an event heard %+v", e)
	}
	// One that is up to date hears nothing until the next change.
	current := h.SubscribeDesk(seq + 1)
	defer current.Close()
	quiet(t, current)
	// A number from another hub's life (a restart) is not the latest either.
	other := h.SubscribeDesk(seq + 1000)
	defer other.Close()
	next(t, other)
}

func TestDeskBurstKeepsTheLatest(t *testing.T) {
	h := NewHub()
	defer h.Close()
	inbox := h.SubscribeDesk(h.DeskSeq())
	defer inbox.Close()
	for i := range 3 * bufferSize {
		h.Publish(Event{Type: TypeCreated, TicketID: int64(i + 1), Listed: true})
	}
	last := h.DeskSeq()
	var e Event
	for e.Seq != last {
		e = next(t, inbox)
	}
	quiet(t, inbox)
}

func TestDeskEndsWithTheHub(t *testing.T) {
	h := NewHub()
	inbox := h.SubscribeDesk(0)
	h.Close()
	ended(t, inbox)
	inbox.Close() // after the hub closed it: nothing to do
	h.Publish(Event{Type: TypeCreated, TicketID: 1, Listed: true})
	ended(t, h.SubscribeDesk(0))
	ended(t, Discard.SubscribeDesk(0))

	h2 := NewHub()
	defer h2.Close()
	s := h2.SubscribeDesk(h2.DeskSeq())
	s.Close()
	ended(t, s)
	s.Close()
	h2.Publish(Event{Type: TypeCreated, TicketID: 1, Listed: true}) // no page left to push to
}
