// Package desk is the helpdesk's domain: tickets, messages, customers and users,
// and the business rules that govern them, as plain Go with no storage or HTTP.
package desk

import (
	"slices"
	"time"
)

type Role string

const (
	RoleAgent Role = "agent"
	RoleLead  Role = "lead"
	RoleAdmin Role = "admin"
)

// Roles lists every role from least to most privileged.
var Roles = []Role{RoleAgent, RoleLead, RoleAdmin}

func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// AtLeast reports whether r carries every permission of min: leads can do what agents do, admins what leads do.
func (r Role) AtLeast(min Role) bool {
	return r.Valid() && slices.Index(Roles, r) >= slices.Index(Roles, min)
}

type Status string

const (
	StatusNew     Status = "new"
	StatusOpen    Status = "open"
	StatusPending Status = "pending"
	StatusSolved  Status = "solved"
	StatusClosed  Status = "closed"
)

var Statuses = []Status{StatusNew, StatusOpen, StatusPending, StatusSolved, StatusClosed}

func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// IsOpen reports whether the ticket waits on us.
func (s Status) IsOpen() bool { return s == StatusNew || s == StatusOpen }

type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Rank orders priorities for sorting: urgent is highest, 0 is unknown.
func (p Priority) Rank() int { return slices.Index(Priorities, p) + 1 }

type Channel string

const (
	ChannelWeb   Channel = "web"
	ChannelEmail Channel = "email"
	ChannelAPI   Channel = "api"
	ChannelPhone Channel = "phone"
)

var Channels = []Channel{ChannelWeb, ChannelEmail, ChannelAPI, ChannelPhone}

func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

type MessageKind string

const (
	KindReply MessageKind = "reply"
	KindNote  MessageKind = "note"
)

func (k MessageKind) Valid() bool { return k == KindReply || k == KindNote }

type User struct {
	ID           int64
	Name         string
	Email        string
	Role         Role
	PasswordHash string
	Active       bool
	Locale       string
	CreatedAt    time.Time
	SessionEpoch int64 // sessions signed in under an older epoch are void
}

type Customer struct {
	ID           int64
	Name         string
	Email        string
	Organisation string
	Notes        string
	CreatedAt    time.Time
}

type Ticket struct {
	ID              int64
	Number          int64
	Subject         string
	Status          Status
	Priority        Priority
	AssigneeID      int64 // 0 = unassigned
	AssigneeName    string
	Customer        Customer
	Channel         Channel
	Language        string
	Tags            []string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt *time.Time
	SolvedAt        *time.Time
}

type Message struct {
	ID         int64
	TicketID   int64
	Kind       MessageKind
	HTML       bool // customer e-mail bodies arrive as HTML and are sanitised when shown
	Body       string
	AuthorName string
	FromAgent  bool  // false: written by the customer
	AuthorID   int64 // the agent's user id; 0 for the customer
	CreatedAt  time.Time
	Coaching   *Coaching // on agent replies sent through the coach
}

// Event is one line of a ticket's audit trail.
type Event struct {
	ID        int64
	TicketID  int64
	ActorName string // empty for the system or the customer
	Field     string
	OldValue  string
	NewValue  string
	CreatedAt time.Time
}

type SavedReply struct {
	ID        int64
	Title     string
	Body      string
	UpdatedAt time.Time
}
