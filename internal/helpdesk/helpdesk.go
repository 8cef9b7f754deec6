// Package helpdesk is the product's operations in one place: it coaches and gates replies, writes
// through the store and announces every committed change to open pages. The web pages, the API and
// (later) mail all call it, so none of them repeats the rules.
package helpdesk

import (
	"context"
	"slices"
	"sync/atomic"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/live"
	"coachdesk/internal/store"
)

// Service owns the store, the live events and the current coach.
type Service struct {
	store *store.Store
	live  live.Service
	coach atomic.Pointer[coach.Coach] // swapped whole when an admin publishes packs; every lint reads it once
	gate  gate                        // which error-level rules have not earned the right to stop a send
}

// New returns the service over st; events is live.Discard for a process without open pages.
func New(st *store.Store, events live.Service, c *coach.Coach) *Service {
	s := &Service{store: st, live: events}
	s.coach.Store(c)
	s.gate.settings = desk.DefaultReviewSettings()
	return s
}

// Store is for reads: pages and lists load what they show straight from it; writes go through the service.
func (s *Service) Store() *store.Store { return s.store }

// Events is where open pages subscribe.
func (s *Service) Events() live.Service { return s.live }

// Coach is the coach in use now.
func (s *Service) Coach() *coach.Coach { return s.coach.Load() }

// SetCoach makes c the coach of every later lint, send and language detection in the process.
func (s *Service) SetCoach(c *coach.Coach) { s.coach.Store(c) }

// Close ends the open pages' event streams; the store is closed by whoever opened it.
func (s *Service) Close() { s.live.Close() }

// Lint is the coach's reading of a text, as the composer and the API show it.
// It returns no error: a text the coach cannot read in a language is read in the detected one.
// An error-level rule the leads' verdicts have not proven comes back as a warning (see gate).
func (s *Service) Lint(text string, opt coach.Options) coach.Result {
	res := s.Coach().Lint(text, opt)
	s.demote(&res)
	return res
}

// LintSavedReply coaches a saved reply as a piece of a reply: greeting and length do not apply to it.
// The explanations are in locale, the reader's interface language.
func (s *Service) LintSavedReply(text, locale string) coach.Result {
	res := s.Lint(text, coach.Options{NoAcknowledge: true, Locale: locale})
	res.Findings = slices.DeleteFunc(res.Findings, func(f coach.Finding) bool { return slices.Contains(coach.FragmentRules, f.Rule) })
	return res
}

// CreateTicket opens a ticket; without a language it takes the one the customer wrote in, so the
// coach reads replies in it. No page is open on a new ticket; open inboxes are told.
// Errors: EINVALID or ETOOLARGE naming the field (subject, body, customer, priority, tags, language, assignee).
func (s *Service) CreateTicket(ctx context.Context, n desk.NewTicket) (desk.Ticket, error) {
	if n.Language == "" {
		n.Language = s.Coach().DetectLanguage(n.Subject + "\n" + n.Body)
	}
	t, err := s.store.CreateTicket(ctx, n)
	if err != nil {
		return t, err
	}
	s.announceCreated(t)
	return t, nil
}

// AddCustomerMessage adds the customer's next message to ticket number and tells its open pages.
// Errors: ENOTFOUND for an unknown ticket, EINVALID or ETOOLARGE naming body.
func (s *Service) AddCustomerMessage(ctx context.Context, number int64, body string, html bool) (desk.Message, error) {
	sent, err := s.store.AddMessage(ctx, number, desk.NewMessage{Kind: desk.KindReply, Body: body, HTML: html})
	if err != nil {
		return desk.Message{}, err
	}
	s.announceMessage(sent, 0)
	return sent, nil
}

// PostAsCustomer adds the customer's next message that an integration's token brought in (a mail
// gateway), with the token's name in the ticket's audit trail in the same transaction, then tells open pages.
// Errors: as AddCustomerMessage.
func (s *Service) PostAsCustomer(ctx context.Context, number int64, body string, html bool, via desk.Token) (desk.Message, error) {
	sent, err := s.store.AddMessage(ctx, number, desk.NewMessage{Kind: desk.KindReply, Body: body, HTML: html, Via: &via})
	if err != nil {
		return desk.Message{}, err
	}
	s.announceMessage(sent, 0)
	return sent, nil
}

// ChangeTicket changes status, priority, assignee, tags or language as actor and tells open pages.
// Errors: ENOTFOUND, EINVALID naming the field, ECONFLICT for a closed ticket.
func (s *Service) ChangeTicket(ctx context.Context, number int64, actor desk.User, ch desk.Change) (desk.Ticket, error) {
	t, err := s.store.UpdateTicket(ctx, number, actor.ID, ch)
	if err != nil {
		return t, err
	}
	s.live.Publish(live.Event{Type: live.TypeTicket, TicketID: t.ID, ActorID: actor.ID, ActorName: actor.Name, Listed: true})
	return t, nil
}

// announceCreated tells open inboxes of a new ticket, after its transaction committed.
func (s *Service) announceCreated(t desk.Ticket) {
	s.live.Publish(live.Event{Type: live.TypeCreated, TicketID: t.ID, Listed: true})
}

// announceMessage runs after the message's transaction committed, so a page that refetches finds it;
// the ticket moves up in the lists, so open inboxes hear of it too.
func (s *Service) announceMessage(m desk.Message, actorID int64) {
	s.live.Publish(live.Event{Type: live.TypeMessage, TicketID: m.TicketID, ActorID: actorID, ActorName: m.AuthorName, MessageID: m.ID, Kind: string(m.Kind), Listed: true})
}

// SaveSavedReply creates (id 0) or edits a saved reply. One with an error-level finding is refused:
// it would go out in every reply that uses it, so it is fixed at the source, never excused.
// Errors: *Refused naming the blocking findings (nothing written); EINVALID or ETOOLARGE naming title
// or body; ENOTFOUND for an unknown id.
func (s *Service) SaveSavedReply(ctx context.Context, id int64, by desk.User, in desk.SavedReplyInput) (desk.SavedReply, error) {
	if err := in.Normalize(); err != nil {
		return desk.SavedReply{}, err
	}
	var blocking []coach.Finding
	for _, f := range s.LintSavedReply(in.Body, by.Locale).Findings {
		if f.Severity == coach.SevError {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) > 0 {
		return desk.SavedReply{}, &Refused{Findings: blocking}
	}
	return s.store.SaveReply(ctx, id, by.ID, in)
}
