package live

import (
	"encoding/json"
	"slices"
)

// maxPayload keeps a notification under PostgreSQL's limit of 8000 bytes, with room to spare.
const maxPayload = 7900

// What one instance tells the others (op).
const (
	opEvent    = "event"    // an Event to deliver to the pages there
	opPresence = "presence" // the sender's viewers of some tickets, replacing what it said before
	opHello    = "hello"    // the sender (re)connected: everyone announces their viewers now
	opBye      = "bye"      // the sender is shutting down: forget its viewers
	opResync   = "resync"   // the sender lost messages: every page refetches
)

// message is one notification's JSON payload.
type message struct {
	From     string          `json:"from"` // the instance that sent it, so it skips its own echo
	Op       string          `json:"op"`
	Event    *wireEvent      `json:"event,omitempty"`
	Presence []presenceEntry `json:"presence,omitempty"`
}

// wireEvent carries Listed, which Event leaves out of its JSON; Seq is each instance's own.
type wireEvent struct {
	Event
	Listed bool `json:"listed,omitempty"`
}

// presenceEntry is one instance's viewers of one ticket; an empty list means none are left.
type presenceEntry struct {
	TicketID int64    `json:"t"`
	Viewers  []Viewer `json:"v,omitempty"`
	Actor    Viewer   `json:"a"` // who came or went; zero in a periodic refresh
}

// encodeEvent is the payload that publishes e; an event too large to notify goes as a bare
// TypeTicket event on its ticket, which makes its pages (and, if Listed, the inboxes) refetch.
func encodeEvent(from string, e Event) string {
	e.Seq = 0
	b, err := json.Marshal(message{From: from, Op: opEvent, Event: &wireEvent{Event: e, Listed: e.Listed}})
	if err == nil && len(b) <= maxPayload {
		return string(b)
	}
	marker := Event{Type: TypeTicket, TicketID: e.TicketID}
	b, _ = json.Marshal(message{From: from, Op: opEvent, Event: &wireEvent{Event: marker, Listed: e.Listed}})
	return string(b)
}

// encodeOp is the payload of a message that carries nothing but its op.
func encodeOp(from, op string) string {
	b, _ := json.Marshal(message{From: from, Op: op})
	return string(b)
}

// encodePresence packs the entries into as few payloads as fit the limit; a ticket with more
// viewers than one payload holds is announced with as many of them as fit.
func encodePresence(from string, entries []presenceEntry) []string {
	base, _ := json.Marshal(message{From: from, Op: opPresence, Presence: []presenceEntry{}})
	room := maxPayload - len(base)
	var out []string
	var batch []presenceEntry
	size := 0
	flush := func() {
		if len(batch) > 0 {
			b, _ := json.Marshal(message{From: from, Op: opPresence, Presence: batch})
			out = append(out, string(b))
			batch, size = nil, 0
		}
	}
	for _, e := range entries {
		n := entrySize(&e, room)
		if size+n+1 > room { // +1 for the comma between entries
			flush()
		}
		batch = append(batch, e)
		size += n + 1
	}
	flush()
	return out
}

// entrySize is e's encoded length, after shortening its viewer list until it fits in room.
func entrySize(e *presenceEntry, room int) int {
	for {
		b, _ := json.Marshal(e)
		if len(b) < room || len(e.Viewers) == 0 {
			return len(b)
		}
		e.Viewers = slices.Clone(e.Viewers[:len(e.Viewers)/2])
	}
}

// decode reads a payload; one that is not ours (another program on the channel) is ignored.
func decode(payload string) (message, bool) {
	var m message
	if err := json.Unmarshal([]byte(payload), &m); err != nil || m.From == "" || m.Op == "" {
		return message{}, false
	}
	return m, true
}
