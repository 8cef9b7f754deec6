package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
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
	u, _ := currentUser(c)
	d, err := s.desk.Draft(ctx, n, u.ID)
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
	u, _ := currentUser(c)
	d, saved, err := s.desk.SaveDraft(ctx, n, u.ID, helpdesk.DraftInput{Body: in.Body, Kind: desk.MessageKind(in.Kind), Lang: in.Lang, Rev: in.Rev})
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
