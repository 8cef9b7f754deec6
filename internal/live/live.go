// Package live tells open ticket pages what changed and who else is viewing the ticket, and open
// inbox pages that the ticket lists changed.
package live

// Event types.
const (
	TypeMessage  = "message"  // a message was added
	TypeTicket   = "ticket"   // the ticket's properties changed
	TypePresence = "presence" // someone opened or closed the ticket
	TypeCreated  = "created"  // a ticket was opened (no page is open on it yet)
	TypeInbox    = "inbox"    // to inbox pages: a ticket in the lists changed; the page refetches its list
)

// Event says something happened on a ticket; pages refetch what changed.
type Event struct {
	Type      string   `json:"type"` // TypeMessage, TypeTicket or TypePresence
	TicketID  int64    `json:"ticket_id"`
	ActorID   int64    `json:"actor_id"` // the agent who did it; 0 for the customer
	ActorName string   `json:"actor_name"`
	MessageID int64    `json:"message_id,omitempty"`
	Kind      string   `json:"kind,omitempty"`    // for messages: reply or note
	Viewers   []Viewer `json:"viewers,omitempty"` // for presence: everyone viewing now
	// Listed marks a change that can move the ticket in the inbox's lists: it is new, has a new
	// message, or a property changed. Inbox pages hear it as a TypeInbox event; a change the lists
	// do not show (a reply's mail state) leaves it false.
	Listed bool `json:"-"`
	// Seq numbers the TypeInbox events, rising by one with each; the first follows the hub's DeskSeq
	// at its start, so numbers from before a restart are not taken for ones after it.
	Seq uint64 `json:"seq,omitempty"`
}

// Viewer is an agent with the ticket open.
type Viewer struct {
	UserID int64  `json:"id"`
	Name   string `json:"name"`
}

// Service publishes ticket events and tracks who is viewing which ticket.
type Service interface {
	// Publish sends e to every open page of e.TicketID without waiting for them.
	Publish(e Event)
	// Subscribe opens a page for v on the ticket and tells the ticket's pages.
	Subscribe(ticketID int64, v Viewer) *Subscription
	// Viewers lists each user viewing the ticket once, ordered by name, then id.
	Viewers(ticketID int64) []Viewer
	// SubscribeDesk opens an inbox page: it hears a TypeInbox event, naming no ticket's details, for
	// each Listed event. since is the DeskSeq the page read before loading its list (or the Seq of the
	// last event it heard): when that is not the newest, the page hears one TypeInbox event at once.
	SubscribeDesk(since uint64) *Subscription
	// DeskSeq is the Seq of the latest TypeInbox event; read it before loading a list to pass to SubscribeDesk.
	DeskSeq() uint64
	// Close ends every open page's subscription (a shutdown); later calls to Publish do nothing.
	Close()
}

// Discard is the Service of a process with no open pages, such as a command that writes and exits.
var Discard Service = discard{}

type discard struct{}

func (discard) Publish(Event)          {}
func (discard) Viewers(int64) []Viewer { return nil }
func (discard) DeskSeq() uint64        { return 0 }
func (discard) Close()                 {}

// Subscribe answers a subscription that is already over: there is nothing to hear.
func (discard) Subscribe(ticketID int64, v Viewer) *Subscription {
	return endedSubscription(nil, ticketID, v)
}

// SubscribeDesk answers a subscription that is already over.
func (discard) SubscribeDesk(uint64) *Subscription { return endedSubscription(nil, 0, Viewer{}) }
