package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// CreateTicket opens a ticket with its first message, finding or creating the customer by e-mail.
func (s *Store) CreateTicket(ctx context.Context, n desk.NewTicket) (desk.Ticket, error) {
	return s.createTicket(ctx, n, nil)
}

// createTicket is CreateTicket with then run in the same transaction once the ticket and its first message exist.
func (s *Store) createTicket(ctx context.Context, n desk.NewTicket, then func(tx *gorm.DB, t desk.Ticket, messageID int64) error) (desk.Ticket, error) {
	if err := n.Normalize(); err != nil {
		return desk.Ticket{}, err
	}
	var number int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now()
		customerID, err := s.resolveCustomer(tx, n, now)
		if err != nil {
			return err
		}
		if n.AssigneeID != 0 {
			if err := requireActiveUser(tx, n.AssigneeID); err != nil {
				return err
			}
		}
		if number, err = nextTicketNumber(tx); err != nil {
			return err
		}
		t := desk.Ticket{Number: number, Subject: n.Subject, Status: desk.StatusNew, Priority: n.Priority,
			AssigneeID: n.AssigneeID, Customer: desk.Customer{ID: customerID}, Channel: n.Channel, Language: n.Language,
			CreatedAt: now, UpdatedAt: now}
		row := ticketRowOf(&t)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		t.ID = row.ID
		if err := setTags(tx, t.ID, n.Tags); err != nil {
			return err
		}
		// Even when an agent types it in on the customer's behalf, the first message is the customer's.
		msg := desk.NewMessage{TicketID: t.ID, Kind: desk.KindReply, Body: n.Body, HTML: n.HTML, CustomerID: customerID}
		msgID, err := insertMessageID(tx, msg, now)
		if err != nil {
			return err
		}
		if then != nil {
			if err := then(tx, t, msgID); err != nil {
				return err
			}
		}
		if n.ByUserID == 0 {
			if err := queueConfirmation(tx, t.ID, t.Number, n.CustomerEmail, now); err != nil {
				return err
			}
		}
		if _, err := refreshSearch(ctx, dialectOf(tx), tx.Statement.ConnPool, t.ID, t.ID); err != nil {
			return err
		}
		return insertEvents(tx, n.ByUserID, []desk.Event{{TicketID: t.ID, Field: "created", NewValue: string(n.Channel), CreatedAt: now}})
	})
	if err != nil {
		return desk.Ticket{}, fmt.Errorf("store: create ticket: %w", err)
	}
	return s.Ticket(ctx, number)
}

func (s *Store) resolveCustomer(tx *gorm.DB, n desk.NewTicket, now time.Time) (int64, error) {
	var row customerRow
	if n.CustomerID != 0 {
		err := tx.Where("id = ?", n.CustomerID).Take(&row).Error
		return row.ID, notFound(err, "No customer %d.", n.CustomerID)
	}
	err := tx.Where("email = ?", n.CustomerEmail).Take(&row).Error
	if err == nil {
		return row.ID, nil
	}
	if err != gorm.ErrRecordNotFound {
		return 0, err
	}
	// Another instance may create the same customer at the same moment: the unique e-mail decides,
	// and the loser reads the winner's row once it has committed.
	var ids []int64
	err = tx.Raw(`INSERT INTO customers (name, email, created_at) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id`,
		n.CustomerName, n.CustomerEmail, now).Scan(&ids).Error
	if err != nil || len(ids) > 0 {
		return firstID(ids), err
	}
	err = tx.Where("email = ?", n.CustomerEmail).Take(&row).Error
	return row.ID, err
}

func firstID(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

func requireActiveUser(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&userRow{}).Where("id = ? AND active", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return desk.Errorf(desk.EINVALID, "assignee", "No active agent with id %d.", id)
	}
	return nil
}

// Ticket loads one ticket by its number, with customer, assignee and tags.
func (s *Store) Ticket(ctx context.Context, number int64) (desk.Ticket, error) {
	return s.ticket(s.r.WithContext(ctx), number)
}

func (s *Store) ticket(db *gorm.DB, number int64) (desk.Ticket, error) {
	t, err := ticketWithoutTags(db, number)
	if err != nil {
		return t, err
	}
	tickets := []desk.Ticket{t}
	if err := loadTags(db, tickets); err != nil {
		return desk.Ticket{}, err
	}
	return tickets[0], nil
}

// ticketWithoutTags is a ticket as a new message needs it: what the message changes, not its tags.
func ticketWithoutTags(db *gorm.DB, number int64) (desk.Ticket, error) {
	var row ticketListRow
	err := db.Table(ticketJoins).Select(ticketColumns).Where("t.number = ?", number).Take(&row).Error
	if err != nil {
		return desk.Ticket{}, notFound(err, "Ticket %s does not exist.", desk.FormatNumber(number))
	}
	return row.ticket(), nil
}

// UpdateTicket applies a change and records it in the audit trail, in one transaction.
func (s *Store) UpdateTicket(ctx context.Context, number int64, actorID int64, c desk.Change) (desk.Ticket, error) {
	if err := c.Validate(); err != nil {
		return desk.Ticket{}, err
	}
	var t desk.Ticket
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if t, err = s.ticket(tx, number); err != nil {
			return err
		}
		if c.AssigneeID != nil && *c.AssigneeID != 0 {
			if err := requireActiveUser(tx, *c.AssigneeID); err != nil {
				return err
			}
		}
		before := t
		events, err := c.Apply(&t, s.now(), func(id int64) string { return userName(tx, id) })
		if err != nil || len(events) == 0 {
			return err
		}
		if c.Tags != nil {
			if err := setTags(tx, t.ID, t.Tags); err != nil {
				return err
			}
		}
		if err := saveTicket(tx, &before, &t); err != nil {
			return err
		}
		// Tags are in the search document, and its words are stemmed in the ticket's language.
		if c.Tags != nil || c.Language != nil {
			if _, err := refreshSearch(ctx, dialectOf(tx), tx.Statement.ConnPool, t.ID, t.ID); err != nil {
				return err
			}
		}
		return insertEvents(tx, actorID, events)
	})
	if err != nil {
		return desk.Ticket{}, fmt.Errorf("store: update ticket %d: %w", number, err)
	}
	return t, nil
}

func userName(tx *gorm.DB, id int64) string {
	var name string
	tx.Model(&userRow{}).Where("id = ?", id).Pluck("name", &name)
	return name
}

// saveTicket writes the columns that changed from before to after. SQLite rewrites every index on
// a column named in SET, and fires its triggers, even when the value stays the same; a reply
// changes only updated_at, so naming every column cost each reply most of the ticket's indexes.
func saveTicket(tx *gorm.DB, before, after *desk.Ticket) error {
	b, a := ticketRowOf(before), ticketRowOf(after)
	set := map[string]any{}
	if a.Status != b.Status {
		set["status"] = a.Status
	}
	if a.Priority != b.Priority {
		set["priority"], set["priority_rank"] = a.Priority, a.PriorityRank
	}
	if !samePtr(a.AssigneeID, b.AssigneeID, func(x, y int64) bool { return x == y }) {
		set["assignee_id"] = a.AssigneeID
	}
	if a.Language != b.Language {
		set["language"] = a.Language
	}
	if !a.UpdatedAt.Equal(b.UpdatedAt) {
		set["updated_at"] = a.UpdatedAt
	}
	if !samePtr(a.FirstResponseAt, b.FirstResponseAt, time.Time.Equal) {
		set["first_response_at"] = a.FirstResponseAt
	}
	if !samePtr(a.SolvedAt, b.SolvedAt, time.Time.Equal) {
		set["solved_at"] = a.SolvedAt
	}
	if len(set) == 0 {
		return nil
	}
	return tx.Model(&ticketRow{}).Where("id = ?", a.ID).Updates(set).Error
}

// samePtr reports whether two optional values are both absent or both there and equal.
func samePtr[T any](a, b *T, equal func(T, T) bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return equal(*a, *b)
}

// AddMessage posts a reply or note and applies what it does to the ticket (first response, reopen, status).
func (s *Store) AddMessage(ctx context.Context, number int64, m desk.NewMessage) (desk.Message, error) {
	return s.addMessage(ctx, number, m, nil)
}

// addMessage is AddMessage with then run in the same transaction once the message exists.
func (s *Store) addMessage(ctx context.Context, number int64, m desk.NewMessage, then func(tx *gorm.DB, t desk.Ticket, id int64) error) (desk.Message, error) {
	if err := m.Normalize(); err != nil {
		return desk.Message{}, err
	}
	if err := validateCoaching(&m); err != nil {
		return desk.Message{}, err
	}
	var id int64
	var coaching *desk.Coaching
	err := s.write(ctx, func(tx *gorm.DB) error {
		t, err := ticketWithoutTags(tx, number)
		if err != nil {
			return err
		}
		before := t
		if t.Status == desk.StatusClosed {
			return desk.Errorf(desk.ECONFLICT, "ticket", "Ticket %s is closed; open a new ticket instead.", desk.FormatNumber(number))
		}
		m.TicketID = t.ID
		if m.UserID == 0 {
			m.CustomerID = t.Customer.ID
		}
		if err := checkCollision(tx, m); err != nil {
			return err
		}
		now := s.now()
		if id, err = insertMessageID(tx, m, now); err != nil {
			return err
		}
		if coaching, err = insertCoaching(tx, m, id, now); err != nil {
			return err
		}
		if err := clearDraft(tx, m, now); err != nil {
			return err
		}
		if then != nil {
			if err := then(tx, t, id); err != nil {
				return err
			}
		}
		// A public reply goes out by mail from the outbox, queued with it so neither is lost alone.
		if err := queueOutbound(tx, t, m, id, now); err != nil {
			return err
		}
		events := desk.AfterMessage(&t, &m, now)
		if err := saveTicket(tx, &before, &t); err != nil {
			return err
		}
		if _, err := refreshSearch(ctx, dialectOf(tx), tx.Statement.ConnPool, t.ID, t.ID); err != nil {
			return err
		}
		if m.Via != nil {
			if err := noteTokenPost(tx, t.ID, *m.Via, now); err != nil {
				return err
			}
		}
		return insertEvents(tx, m.UserID, events)
	})
	if err != nil {
		return desk.Message{}, fmt.Errorf("store: add message to %d: %w", number, err)
	}
	msg, err := s.message(ctx, id)
	msg.Coaching = coaching
	return msg, err
}

// checkCollision refuses a send when someone else replied after the newest message the sender had seen.
func checkCollision(tx *gorm.DB, m desk.NewMessage) error {
	if m.SeenID <= 0 {
		return nil
	}
	var names []string
	err := tx.Raw(`SELECT COALESCE(u.name, c.name, '') FROM `+messageJoins+`
		WHERE m.ticket_id = ? AND m.id > ? AND m.kind = 'reply' AND COALESCE(m.author_user_id, 0) <> ?
		ORDER BY m.id DESC LIMIT 1`, m.TicketID, m.SeenID, m.UserID).Scan(&names).Error
	if err != nil || len(names) == 0 {
		return err
	}
	return &desk.Error{Code: desk.ECONFLICT, Field: "seen", Message: names[0] + " wrote while you were writing; read it, then send again."}
}

func insertMessageID(tx *gorm.DB, m desk.NewMessage, now time.Time) (int64, error) {
	row := messageRow{TicketID: m.TicketID, Kind: string(m.Kind), Format: "text", Body: m.Body, CreatedAt: now}
	if m.HTML {
		row.Format = "html"
	}
	if m.UserID != 0 {
		row.AuthorUserID = &m.UserID
	} else {
		row.AuthorCustomerID = &m.CustomerID
	}
	err := tx.Create(&row).Error
	return row.ID, err
}

func insertEvents(tx *gorm.DB, actorID int64, events []desk.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]eventRow, len(events))
	for i, e := range events {
		rows[i] = eventRow{TicketID: e.TicketID, Field: e.Field, OldValue: e.OldValue, NewValue: e.NewValue, CreatedAt: e.CreatedAt}
		if actorID != 0 {
			rows[i].ActorUserID = &actorID
		}
	}
	return tx.Create(&rows).Error
}

const messageColumns = `m.id, m.ticket_id, m.kind, m.format, m.body, m.created_at,
	m.author_user_id IS NOT NULL AS from_agent, COALESCE(m.author_user_id, 0) AS author_id, COALESCE(u.name, c.name, '') AS author_name`

const messageJoins = `messages m LEFT JOIN users u ON u.id = m.author_user_id LEFT JOIN customers c ON c.id = m.author_customer_id`

type messageListRow struct {
	ID         int64
	TicketID   int64
	Kind       string
	Format     string
	Body       string
	CreatedAt  time.Time
	FromAgent  bool
	AuthorID   int64
	AuthorName string
}

func (r messageListRow) message() desk.Message {
	return desk.Message{ID: r.ID, TicketID: r.TicketID, Kind: desk.MessageKind(r.Kind), HTML: r.Format == "html",
		Body: r.Body, AuthorName: r.AuthorName, FromAgent: r.FromAgent, AuthorID: r.AuthorID, CreatedAt: r.CreatedAt}
}

func (s *Store) message(ctx context.Context, id int64) (desk.Message, error) {
	var row messageListRow
	err := s.r.WithContext(ctx).Table(messageJoins).Select(messageColumns).Where("m.id = ?", id).Take(&row).Error
	return row.message(), notFound(err, "No message %d.", id)
}

// Thread returns a ticket's messages, oldest first, with the coaching of coached replies.
func (s *Store) Thread(ctx context.Context, ticketID int64) ([]desk.Message, error) {
	db := s.r.WithContext(ctx)
	var rows []messageListRow
	err := db.Table(messageJoins).Select(messageColumns).Where("m.ticket_id = ?", ticketID).Order("m.id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: thread %d: %w", ticketID, err)
	}
	out := make([]desk.Message, len(rows))
	for i, r := range rows {
		out[i] = r.message()
	}
	if err := loadCoaching(db, ticketID, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Events returns a ticket's audit trail, oldest first.
func (s *Store) Events(ctx context.Context, ticketID int64) ([]desk.Event, error) {
	var rows []struct {
		Row       eventRow `gorm:"embedded"`
		ActorName string
	}
	err := s.r.WithContext(ctx).Table("ticket_events e").Select("e.*, COALESCE(u.name, '') AS actor_name").
		Joins("LEFT JOIN users u ON u.id = e.actor_user_id").Where("e.ticket_id = ?", ticketID).Order("e.id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: events %d: %w", ticketID, err)
	}
	out := make([]desk.Event, len(rows))
	for i, r := range rows {
		e := r.Row
		out[i] = desk.Event{ID: e.ID, TicketID: e.TicketID, ActorName: r.ActorName, Field: e.Field, OldValue: e.OldValue, NewValue: e.NewValue, CreatedAt: e.CreatedAt}
	}
	return out, nil
}

func setTags(tx *gorm.DB, ticketID int64, tags []string) error {
	if err := tx.Exec("DELETE FROM ticket_tags WHERE ticket_id = ?", ticketID).Error; err != nil {
		return err
	}
	for _, name := range tags {
		if err := tx.Exec("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name).Error; err != nil {
			return err
		}
		if err := tx.Exec("INSERT INTO ticket_tags (ticket_id, tag_id) SELECT ?, id FROM tags WHERE name = ?", ticketID, name).Error; err != nil {
			return err
		}
	}
	return nil
}

// loadTags fills in the tags of a page of tickets with one query.
func loadTags(db *gorm.DB, tickets []desk.Ticket) error {
	if len(tickets) == 0 {
		return nil
	}
	ids := make([]int64, len(tickets))
	index := make(map[int64]int, len(tickets))
	for i, t := range tickets {
		ids[i] = t.ID
		index[t.ID] = i
	}
	// Rows read by hand: gorm's reflection cost more than the query on an inbox page.
	rows, err := db.Raw(`SELECT tt.ticket_id, g.name FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id
		WHERE tt.ticket_id IN ? ORDER BY g.name`, ids).Rows()
	if err != nil {
		return fmt.Errorf("store: tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("store: tags: %w", err)
		}
		t := &tickets[index[id]]
		t.Tags = append(t.Tags, name)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: tags: %w", err)
	}
	return nil
}

// Tags lists every tag in use, for filters and suggestions.
func (s *Store) Tags(ctx context.Context) ([]string, error) {
	rows, err := s.reads.tags.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: tags: %w", err)
	}
	defer rows.Close()
	names := []string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("store: tags: %w", err)
		}
		names = append(names, name)
	}
	return names, rows.Err()
}
