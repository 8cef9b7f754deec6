package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

func (s *Server) supportForm(c echo.Context) error {
	return render(c, http.StatusOK, templates.Support(templates.SupportForm{}, csrfToken(c)))
}

// submitSupport takes a customer's request from the public form, with a honeypot and a per-address limit against spam.
func (s *Server) submitSupport(c echo.Context) error {
	ctx := c.Request().Context()
	form := templates.SupportForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Subject: c.FormValue("subject"), Message: c.FormValue("message")}
	// The attempt is taken from the budget before anything is checked, so parallel posts cannot all
	// pass a check made before any of them was counted (a form sent back to fix counts too).
	ok, err := s.limits.Allow(ctx, "support:"+c.RealIP(), supportPerAddr)
	if err != nil {
		return err
	}
	if !ok {
		form.Errors = templates.FieldErrors{"form": i18n.T(ctx, "support.rate_limited")}
		return render(c, http.StatusTooManyRequests, templates.Support(form, csrfToken(c)))
	}
	if c.FormValue("website") != "" {
		// Only bots fill the hidden field: thank them, keep nothing, and count it against the address.
		return render(c, http.StatusOK, templates.SupportThanks(0, form.Email))
	}
	t, err := s.desk.CreateTicket(ctx, desk.NewTicket{
		Subject: form.Subject, Body: form.Message, CustomerName: form.Name, CustomerEmail: form.Email, Channel: desk.ChannelWeb,
	})
	fixable, err := userFacing(t, err)
	if err != nil {
		return err
	}
	if fixable != nil {
		form.Errors = fieldError(c, fixable, "form")
		return render(c, fixableStatus(fixable), templates.Support(form, csrfToken(c)))
	}
	return render(c, http.StatusOK, templates.SupportThanks(t.Number, t.Customer.Email))
}
