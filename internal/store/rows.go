package store

import (
	"fmt"
	"time"

	"coachdesk/internal/desk"
)

// Rows as gorm sees them; the schema itself lives in migrations/.

type userRow struct {
	ID           int64
	Name         string
	Email        string
	Role         string
	PasswordHash string
	Active       bool
	Locale       string
	CreatedAt    time.Time
	SessionEpoch int64
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() desk.User {
	return desk.User{ID: r.ID, Name: r.Name, Email: r.Email, Role: desk.Role(r.Role), PasswordHash: r.PasswordHash,
		Active: r.Active, Locale: r.Locale, CreatedAt: r.CreatedAt, SessionEpoch: r.SessionEpoch}
}

type customerRow struct {
	ID           int64
	Name         string
	Email        string
	Organisation string
	Notes        string
	CreatedAt    time.Time
}

func (customerRow) TableName() string { return "customers" }

func (r customerRow) customer() desk.Customer {
	return desk.Customer{ID: r.ID, Name: r.Name, Email: r.Email, Organisation: r.Organisation, Notes: r.Notes, CreatedAt: r.CreatedAt}
}

type ticketRow struct {
	ID              int64
	Number          int64
	Subject         string
	Status          string
	Priority        string
	PriorityRank    int
	AssigneeID      *int64
	CustomerID      int64
	Channel         string
	Language        string
	CreatedAt       time.Time
	UpdatedAt       time.Time `gorm:"autoUpdateTime:false"` // the domain decides when a ticket changed
	FirstResponseAt *time.Time
	SolvedAt        *time.Time
}

func (ticketRow) TableName() string { return "tickets" }

func ticketRowOf(t *desk.Ticket) ticketRow {
	r := ticketRow{ID: t.ID, Number: t.Number, Subject: t.Subject, Status: string(t.Status), Priority: string(t.Priority),
		PriorityRank: t.Priority.Rank(), CustomerID: t.Customer.ID, Channel: string(t.Channel), Language: t.Language,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, FirstResponseAt: t.FirstResponseAt, SolvedAt: t.SolvedAt}
	if t.AssigneeID != 0 {
		r.AssigneeID = &t.AssigneeID
	}
	return r
}

// ticketListRow is a ticket joined with its customer and assignee, as list and detail queries select it.
type ticketListRow struct {
	Row           ticketRow `gorm:"embedded"`
	CustomerName  string
	CustomerEmail string
	CustomerOrg   string
	CustomerNotes string
	AssigneeName  *string
}

const ticketColumns = `t.id, t.number, t.subject, t.status, t.priority, t.priority_rank, t.assignee_id, t.customer_id,
	t.channel, t.language, t.created_at, t.updated_at, t.first_response_at, t.solved_at,
	c.name AS customer_name, c.email AS customer_email, c.organisation AS customer_org, c.notes AS customer_notes,
	u.name AS assignee_name`

const ticketJoins = `tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id`

func (lr ticketListRow) ticket() desk.Ticket {
	r := lr.Row
	t := desk.Ticket{ID: r.ID, Number: r.Number, Subject: r.Subject, Status: desk.Status(r.Status),
		Priority: desk.Priority(r.Priority), Channel: desk.Channel(r.Channel), Language: r.Language,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, FirstResponseAt: r.FirstResponseAt, SolvedAt: r.SolvedAt,
		Customer: desk.Customer{ID: r.CustomerID, Name: lr.CustomerName, Email: lr.CustomerEmail, Organisation: lr.CustomerOrg, Notes: lr.CustomerNotes},
		Tags:     []string{}}
	if r.AssigneeID != nil {
		t.AssigneeID = *r.AssigneeID
	}
	if lr.AssigneeName != nil {
		t.AssigneeName = *lr.AssigneeName
	}
	return t
}

type messageRow struct {
	ID               int64
	TicketID         int64
	AuthorUserID     *int64
	AuthorCustomerID *int64
	Kind             string
	Format           string
	Body             string
	CreatedAt        time.Time
}

func (messageRow) TableName() string { return "messages" }

type draftRow struct {
	TicketID  int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Kind      string
	Lang      string
	Body      string
	Rev       int64
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (draftRow) TableName() string { return "drafts" }

func (r draftRow) draft() desk.Draft {
	return desk.Draft{TicketID: r.TicketID, UserID: r.UserID, Kind: desk.MessageKind(r.Kind), Lang: r.Lang, Body: r.Body, Rev: r.Rev, UpdatedAt: r.UpdatedAt}
}

type replyCoachingRow struct {
	MessageID      int64 `gorm:"primaryKey;autoIncrement:false"`
	TicketID       int64
	AgentID        int64
	Lang           string
	PackVersion    string
	Score          int
	Overridden     bool
	OverrideReason string
	ErrorCount     int
	WarningCount   int
	CreatedAt      time.Time
}

func (replyCoachingRow) TableName() string { return "reply_coaching" }

func (r replyCoachingRow) coaching() desk.Coaching {
	return desk.Coaching{MessageID: r.MessageID, TicketID: r.TicketID, AgentID: r.AgentID, Lang: r.Lang, PackVersion: r.PackVersion,
		Score: r.Score, Overridden: r.Overridden, OverrideReason: r.OverrideReason, CreatedAt: r.CreatedAt, Findings: []desk.CoachFinding{}}
}

type findingRow struct {
	ID               int64
	MessageID        int64
	AgentID          int64
	CreatedAt        time.Time
	Rule             string
	Severity         string
	StartPos         int
	EndPos           int
	Text             string
	NotHelpful       bool
	NotHelpfulReason string
	MatchPattern     string
	MatchEntry       string
}

func (findingRow) TableName() string { return "coaching_findings" }

func (r findingRow) finding() desk.CoachFinding {
	return desk.CoachFinding{ID: r.ID, Rule: r.Rule, Severity: r.Severity, Start: r.StartPos, End: r.EndPos, Text: r.Text,
		NotHelpful: r.NotHelpful, NotHelpfulReason: r.NotHelpfulReason, MatchPattern: r.MatchPattern, MatchEntry: r.MatchEntry}
}

type eventRow struct {
	ID          int64
	TicketID    int64
	ActorUserID *int64
	Field       string
	OldValue    string
	NewValue    string
	CreatedAt   time.Time
}

func (eventRow) TableName() string { return "ticket_events" }

type savedReplyRow struct {
	ID        int64
	Title     string
	Body      string
	CreatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (savedReplyRow) TableName() string { return "saved_replies" }

type apiTokenRow struct {
	ID          int64
	UserID      int64
	TokenHash   string
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	Name        string
	Integration bool
	ExpiresAt   *time.Time
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func fmtDeskNotFound(format string, args ...any) error {
	return &desk.Error{Code: desk.ENOTFOUND, Message: fmt.Sprintf(format, args...)}
}
