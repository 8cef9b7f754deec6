package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// draftAnswer is a draft as the API answers it; Saved says whether this save was the newest.
type draftAnswer struct {
	Body      string    `json:"body"`
	Kind      string    `json:"kind"`
	Lang      string    `json:"lang"`
	Rev       int64     `json:"rev"`
	Saved     bool      `json:"saved"`
	UpdatedAt time.Time `json:"updated_at"`
}

func draftJSON(d desk.Draft, saved bool) draftAnswer {
	return draftAnswer{Body: d.Body, Kind: string(d.Kind), Lang: d.Lang, Rev: d.Rev, Saved: saved, UpdatedAt: d.UpdatedAt}
}

// getDraft answers the agent's unsent text on a ticket (empty, with its revision, when there is none).
func (s *Server) getDraft(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	t, err := s.store.Ticket(ctx, n)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	d, err := s.store.Draft(ctx, t.ID, u.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, draftJSON(d, false))
}

// saveDraft keeps what the agent is typing; a save older than the stored one is answered, not applied.
func (s *Server) saveDraft(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.typingBudget(c, "draft"); err != nil {
		return err
	}
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	var in draftInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if !coach.ValidLang(in.Lang) {
		return desk.Errorf(desk.EINVALID, "lang", "Unknown language %q: use da, nb, sv, en or auto.", in.Lang)
	}
	t, err := s.store.Ticket(ctx, n)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	kind := desk.MessageKind(in.Kind)
	if kind == "" {
		kind = desk.KindReply
	}
	d, saved, err := s.store.SaveDraft(ctx, desk.Draft{TicketID: t.ID, UserID: u.ID, Kind: kind, Lang: in.Lang, Body: in.Body, Rev: in.Rev})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, draftJSON(d, saved))
}

type draftInput struct {
	Body string `json:"body"`
	Kind string `json:"kind"`
	Lang string `json:"lang"`
	Rev  int64  `json:"rev"`
}
