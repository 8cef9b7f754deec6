package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

// The review's thresholds on the precision page: admins edit them, leads read them.

// renderPrecision is the precision page; form is what an admin typed (nil: the stored settings).
func (s *Server) renderPrecision(c echo.Context, status int, form *templates.ReviewSettingsForm, saved bool) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "review.precision"), "")
	if err != nil {
		return err
	}
	rows, err := s.store.Precision(ctx)
	if err != nil {
		return err
	}
	dismissals, err := s.store.TopDismissals(ctx, 20)
	if err != nil {
		return err
	}
	settings, err := s.store.ReviewSettings(ctx)
	if err != nil {
		return err
	}
	p := templates.PrecisionPage{Page: page, Dismissals: dismissals, Gate: s.desk.GateSettings(), Settings: settings,
		Form: templates.SettingsForm(settings), CanEdit: page.User.Role.AtLeast(desk.RoleAdmin)}
	if form != nil {
		p.Form = *form
	}
	if saved {
		p.Notice = i18n.T(ctx, "review.settings_saved")
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, templates.PrecisionRow{Precision: r, ErrorLevel: s.desk.ErrorLevel(r.Rule, r.Lang), Blocks: !s.desk.Demoted(r.Rule, r.Lang)})
	}
	return render(c, status, templates.Precision(p))
}

// saveReviewSettings stores an admin's thresholds; the send gate applies them at once. Every value
// that is not a number or out of its range is shown beside its field, with what was typed.
func (s *Server) saveReviewSettings(c echo.Context) error {
	form := templates.ReviewSettingsForm{MinLower: c.FormValue(desk.FieldMinLower), MinVerdicts: c.FormValue(desk.FieldMinVerdicts),
		SampleShare: c.FormValue(desk.FieldSampleShare), DisputeDays: c.FormValue(desk.FieldDisputeDays)}
	rs := desk.ReviewSettings{MinLower: decimal(form.MinLower), MinVerdicts: whole(form.MinVerdicts),
		SampleShare: whole(form.SampleShare), DisputeDays: whole(form.DisputeDays)}
	admin, _ := currentUser(c)
	fixable, err := splitFixable(s.desk.SaveReviewSettings(c.Request().Context(), rs, admin))
	if err != nil {
		return err
	}
	if fixable != nil {
		form.Errors = fieldError(c, fixable, desk.FieldMinLower)
		return s.renderPrecision(c, fixableStatus(fixable), &form, false)
	}
	return c.Redirect(http.StatusSeeOther, "/coaching/precision?saved=1#review-settings")
}

// configuredShare is the queue's random share when the lead picked none.
func (s *Server) configuredShare(ctx context.Context) (int, error) {
	rs, err := s.store.ReviewSettings(ctx)
	return rs.SampleShare, err
}

// decimal reads "0.9" or "0,9"; anything else is NaN, which no range takes.
func decimal(v string) float64 {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", "."), 64)
	if err != nil || math.IsInf(f, 0) {
		return math.NaN()
	}
	return f
}

// whole reads a whole number; anything else is -1, which no range takes.
func whole(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}
