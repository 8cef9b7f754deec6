package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

// savedReplies lists saved replies; leads and admins also get the form to add or edit one.
func (s *Server) savedReplies(c echo.Context) error {
	var form templates.SavedReplyForm
	if id, _ := strconv.ParseInt(c.QueryParam("edit"), 10, 64); id != 0 {
		r, err := s.store.SavedReply(c.Request().Context(), id)
		if err != nil {
			return err
		}
		form = templates.SavedReplyForm{ID: r.ID, Title: r.Title, Body: r.Body}
	}
	return s.renderSavedReplies(c, http.StatusOK, form)
}

func (s *Server) renderSavedReplies(c echo.Context, status int, form templates.SavedReplyForm) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "nav.saved_replies"), "")
	if err != nil {
		return err
	}
	replies, err := s.store.SavedReplies(ctx)
	if err != nil {
		return err
	}
	// Saved replies are pieces of replies: the acknowledgement belongs to the reply they go into.
	coached := make(map[int64]coach.Result, len(replies))
	for _, r := range replies {
		coached[r.ID] = s.desk.LintSavedReply(r.Body, page.User.Locale)
	}
	return render(c, status, templates.SavedReplies(templates.SavedRepliesPage{
		Page: page, Replies: replies, Coached: coached, Form: form, CanEdit: page.User.Role.AtLeast(desk.RoleLead)}))
}

// savedReplyID is the id in the path; none (a new saved reply) is 0, and anything but a number is a 404.
func savedReplyID(c echo.Context) (int64, error) {
	if c.Param("id") == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "", "Saved reply %q does not exist.", c.Param("id"))
	}
	return id, nil
}

func (s *Server) saveSavedReply(c echo.Context) error {
	u, _ := currentUser(c)
	id, err := savedReplyID(c)
	if err != nil {
		return err
	}
	form := templates.SavedReplyForm{ID: id, Title: c.FormValue("title"), Body: c.FormValue("body")}
	_, saveErr := s.desk.SaveSavedReply(c.Request().Context(), id, u, desk.SavedReplyInput{Title: form.Title, Body: form.Body})
	fixable, err := splitFixable(saveErr)
	if err != nil {
		return err
	}
	var refused *helpdesk.Refused
	if errors.As(saveErr, &refused) {
		form.Errors = templates.FieldErrors{"body": i18n.T(c.Request().Context(), "saved.gate", map[string]any{"Rules": ruleNames(c, refused.Findings)})}
		return s.renderSavedReplies(c, http.StatusUnprocessableEntity, form)
	}
	if fixable != nil {
		form.Errors = fieldError(c, fixable, "title")
		return s.renderSavedReplies(c, fixableStatus(fixable), form)
	}
	return c.Redirect(http.StatusSeeOther, "/saved-replies")
}

func (s *Server) deleteSavedReply(c echo.Context) error {
	id, err := savedReplyID(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteSavedReply(c.Request().Context(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/saved-replies")
}

// ruleNames lists the rules of findings once each, in the reader's language.
func ruleNames(c echo.Context, findings []coach.Finding) string {
	var names []string
	for _, f := range findings {
		if name := templates.RuleName(c.Request().Context(), f.Rule); !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}
