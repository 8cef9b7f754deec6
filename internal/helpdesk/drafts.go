package helpdesk

import (
	"context"
	"strings"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// DraftInput is what the composer saves as the agent types.
type DraftInput struct {
	Body string
	Kind desk.MessageKind // reply (the store's default) or note
	Lang string
	Rev  int64 // chosen by the page, increasing
}

// Draft is the user's unsent text on ticket number (empty, with its revision, when there is none).
// Errors: ENOTFOUND for an unknown ticket.
func (s *Service) Draft(ctx context.Context, number, userID int64) (desk.Draft, error) {
	t, err := s.store.Ticket(ctx, number)
	if err != nil {
		return desk.Draft{}, err
	}
	return s.store.Draft(ctx, t.ID, userID)
}

// SaveDraft keeps what the user is typing; saved is false when a newer revision was already stored,
// and the draft returned is then that newer one. Drafts are private, so nothing is announced.
// Errors: EINVALID naming lang, kind or rev (1 to desk.MaxDraftRev); ENOTFOUND; ETOOLARGE naming body.
func (s *Service) SaveDraft(ctx context.Context, number, userID int64, in DraftInput) (d desk.Draft, saved bool, err error) {
	if !coach.ValidLang(in.Lang) {
		return d, false, desk.Errorf(desk.EINVALID, "lang", "Unknown language %q: use da, nb, sv, en or auto.", in.Lang)
	}
	t, err := s.store.Ticket(ctx, number)
	if err != nil {
		return d, false, err
	}
	seen, err := s.coachDraft(ctx, t.ID, in)
	if err != nil {
		return d, false, err
	}
	return s.store.SaveDraft(ctx, desk.Draft{TicketID: t.ID, UserID: userID, Kind: in.Kind, Lang: in.Lang, Body: in.Body, Rev: in.Rev, Seen: seen})
}

// coachDraft counts the findings per rule the coach shows on a reply draft, read as the send will
// read it, so what is gone at send counts as fixed before sending (the dashboard's figure).
func (s *Service) coachDraft(ctx context.Context, ticketID int64, in DraftInput) (map[string]int, error) {
	if in.Kind == desk.KindNote || strings.TrimSpace(in.Body) == "" || len(in.Body) > desk.MaxBody {
		return nil, nil
	}
	answersCustomer, err := s.store.LastReplyFromCustomer(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, f := range s.Lint(in.Body, coach.Options{Lang: in.Lang, NoAcknowledge: !answersCustomer}).Findings {
		seen[f.Rule]++
	}
	return seen, nil
}
