package desk

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Change is a partial update of a ticket's properties; nil fields stay as they are.
type Change struct {
	Status     *Status
	Priority   *Priority
	AssigneeID *int64 // pointer to 0 unassigns
	Tags       *[]string
	Language   *string // the language the customer writes in; the coach reads replies in it
}

func (c *Change) Empty() bool {
	return c.Status == nil && c.Priority == nil && c.AssigneeID == nil && c.Tags == nil && c.Language == nil
}

func (c *Change) Validate() error {
	if c.Status != nil && !c.Status.Valid() {
		return Errorf(EINVALID, "status", "Unknown status %q: use new, open, pending, solved or closed.", *c.Status)
	}
	if c.Priority != nil && !c.Priority.Valid() {
		return Errorf(EINVALID, "priority", "Unknown priority %q: use low, normal, high or urgent.", *c.Priority)
	}
	if c.AssigneeID != nil && *c.AssigneeID < 0 {
		return Errorf(EINVALID, "assignee", "Unknown assignee.")
	}
	if c.Language != nil && !ValidLanguage(*c.Language) {
		return Errorf(EINVALID, "language", "Unknown language %q: use da, nb, sv or en.", *c.Language)
	}
	if c.Tags != nil {
		tags, err := NormalizeTags(*c.Tags)
		if err != nil {
			return err
		}
		c.Tags = &tags
	}
	return nil
}

// Apply changes t and returns the audit events for what actually changed.
// assigneeName resolves an assignee id to the name the trail shows.
func (c *Change) Apply(t *Ticket, now time.Time, assigneeName func(int64) string) ([]Event, error) {
	var events []Event
	record := func(field, old, new string) {
		if old != new {
			events = append(events, Event{TicketID: t.ID, Field: field, OldValue: old, NewValue: new, CreatedAt: now})
		}
	}
	if c.Status != nil && *c.Status != t.Status {
		if t.Status == StatusClosed {
			return nil, Errorf(ECONFLICT, "status", "Ticket #%d is closed and can no longer change; open a new ticket instead.", t.Number)
		}
		record("status", string(t.Status), string(*c.Status))
		SetStatus(t, *c.Status, now)
	}
	if c.Priority != nil {
		record("priority", string(t.Priority), string(*c.Priority))
		t.Priority = *c.Priority
	}
	if c.AssigneeID != nil && *c.AssigneeID != t.AssigneeID {
		name := ""
		if *c.AssigneeID != 0 {
			name = assigneeName(*c.AssigneeID)
		}
		record("assignee", t.AssigneeName, name)
		t.AssigneeID, t.AssigneeName = *c.AssigneeID, name
	}
	if c.Tags != nil && !slices.Equal(*c.Tags, t.Tags) {
		record("tags", strings.Join(t.Tags, ", "), strings.Join(*c.Tags, ", "))
		t.Tags = *c.Tags
	}
	if c.Language != nil {
		record("language", t.Language, *c.Language)
		t.Language = *c.Language
	}
	if len(events) > 0 {
		t.UpdatedAt = now
	}
	return events, nil
}

// SetStatus moves a ticket to s and keeps the solved clock right: solving stamps it, reopening clears it.
func SetStatus(t *Ticket, s Status, now time.Time) {
	t.Status = s
	switch {
	case s == StatusSolved && t.SolvedAt == nil:
		t.SolvedAt = &now
	case s != StatusSolved && s != StatusClosed:
		t.SolvedAt = nil
	}
}

// AfterMessage applies what a new message does to its ticket and returns the events it causes:
// an agent's first reply starts the first-response clock, a customer's message reopens the ticket.
func AfterMessage(t *Ticket, m *NewMessage, now time.Time) []Event {
	var events []Event
	move := func(s Status) {
		if s != t.Status {
			events = append(events, Event{TicketID: t.ID, Field: "status", OldValue: string(t.Status), NewValue: string(s), CreatedAt: now})
			SetStatus(t, s, now)
		}
	}
	switch {
	case m.Kind == KindNote:
	case m.UserID != 0:
		if t.FirstResponseAt == nil {
			t.FirstResponseAt = &now
			events = append(events, Event{TicketID: t.ID, Field: "first_response", NewValue: now.UTC().Format(time.RFC3339), CreatedAt: now})
		}
		if t.Status == StatusNew {
			move(StatusOpen)
		}
	default:
		if t.Status != StatusNew && t.Status != StatusOpen {
			move(StatusOpen)
		}
	}
	if m.SetStatus != "" {
		move(m.SetStatus)
	}
	t.UpdatedAt = now
	return events
}

// FormatNumber renders a ticket number the way people say it.
func FormatNumber(n int64) string { return "#" + strconv.FormatInt(n, 10) }
