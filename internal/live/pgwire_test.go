package live

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestEncodeEventKeepsListedAndDropsSeq(t *testing.T) {
	e := Event{Type: TypeMessage, TicketID: 4, ActorID: 2, ActorName: "Ben", MessageID: 9, Kind: "reply", Listed: true, Seq: 77}
	m, ok := decode(encodeEvent("a1", e))
	if !ok || m.From != "a1" || m.Op != opEvent || m.Event == nil {
		t.Fatalf("decoded %+v", m)
	}
	got := m.Event.Event
	got.Listed = m.Event.Listed
	e.Seq = 0 // each instance numbers its own inbox events
	if got.Type != e.Type || got.ActorName != e.ActorName || got.MessageID != e.MessageID || !got.Listed || got.Seq != 0 {
		t.Fatalf("got %+v, want %+v", got, e)
	}
}

func TestEncodeEventTooLargeIsARefetch(t *testing.T) {
	e := Event{Type: TypeMessage, TicketID: 4, ActorName: strings.Repeat("å", maxPayload), MessageID: 9, Listed: true}
	payload := encodeEvent("a1", e)
	if len(payload) > maxPayload {
		t.Fatalf("payload of %d bytes", len(payload))
	}
	m, _ := decode(payload)
	if ev := m.Event; ev == nil || ev.Type != TypeTicket || ev.TicketID != 4 || !ev.Listed || ev.ActorName != "" {
		t.Fatalf("an event too large went as %+v, want a listed refetch of ticket 4", ev)
	}
}

func TestEncodePresenceFitsThePayloadLimit(t *testing.T) {
	var entries []presenceEntry
	for i := range 500 {
		entries = append(entries, presenceEntry{TicketID: int64(i + 1), Viewers: []Viewer{{UserID: int64(i), Name: fmt.Sprint("Agent number ", i)}}})
	}
	many := make([]Viewer, 1000) // one ticket with more viewers than a payload holds
	for i := range many {
		many[i] = Viewer{UserID: int64(i), Name: strings.Repeat("x", 30)}
	}
	entries = append(entries, presenceEntry{TicketID: 9999, Viewers: many})
	payloads := encodePresence("a1", entries)
	if len(payloads) < 2 {
		t.Fatalf("%d payloads for 501 tickets", len(payloads))
	}
	var tickets []int64
	for _, p := range payloads {
		if len(p) > maxPayload {
			t.Fatalf("payload of %d bytes", len(p))
		}
		m, ok := decode(p)
		if !ok || m.Op != opPresence {
			t.Fatalf("decoded %+v", m)
		}
		for _, e := range m.Presence {
			tickets = append(tickets, e.TicketID)
			if e.TicketID == 9999 && (len(e.Viewers) == 0 || len(e.Viewers) == len(many)) {
				t.Fatalf("the crowded ticket went with %d viewers", len(e.Viewers))
			}
		}
	}
	if len(tickets) != 501 || !slices.IsSorted(tickets) {
		t.Fatalf("tickets announced: %d (in order: %v)", len(tickets), slices.IsSorted(tickets))
	}
	if len(encodePresence("a1", nil)) != 0 {
		t.Fatal("nothing to announce still made a payload")
	}
}

func TestDecodeIgnoresOthers(t *testing.T) {
	for _, p := range []string{"", "hello", `{"op":"event"}`, `{"from":"x"}`, `[1]`} {
		if _, ok := decode(p); ok {
			t.Errorf("decode(%q) accepted", p)
		}
	}
}

func TestHubRemoteViewersAndRefetch(t *testing.T) {
	h := NewHub()
	defer h.Close()
	page := h.Subscribe(1, ben)
	presence(t, page, ben)
	h.setRemote(1, []Viewer{ana}, ana)
	presence(t, page, ana, ben)
	h.setRemote(1, []Viewer{ana}, Viewer{}) // a refresh that changes nothing is not news
	quiet(t, page)
	if got := h.Viewers(2); len(got) != 0 {
		t.Fatalf("ticket 2 lists %v", got)
	}
	h.setRemote(2, []Viewer{ana}, ana) // a ticket nobody here views is listed too
	if got := h.Viewers(2); !slices.Equal(got, []Viewer{ana}) {
		t.Fatalf("ticket 2 lists %v", got)
	}
	if local := h.localPresence(); len(local) != 1 || !slices.Equal(local[1], []Viewer{ben}) {
		t.Fatalf("localPresence = %v, want only Ben's own page", local)
	}
	h.setRemote(1, nil, ana)
	presence(t, page, ben)

	inbox := h.SubscribeDesk(h.DeskSeq())
	seq := h.DeskSeq()
	h.refetchAll()
	if e := next(t, page); e.Type != TypeTicket || e.TicketID != 1 {
		t.Fatalf("the ticket page heard %+v, want a refetch", e)
	}
	if e := next(t, inbox); e.Type != TypeInbox || e.Seq != seq+1 {
		t.Fatalf("the inbox heard %+v, want a refetch with seq %d", e, seq+1)
	}
}
