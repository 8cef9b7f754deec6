package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

func (s *Server) newTicketForm(c echo.Context) error {
	return s.renderNewTicket(c, http.StatusOK, templates.NewTicketForm{Priority: desk.PriorityNormal})
}

func (s *Server) renderNewTicket(c echo.Context, status int, form templates.NewTicketForm) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "ticket.new"), "")
	if err != nil {
		return err
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return err
	}
	return render(c, status, templates.NewTicket(templates.NewTicketPage{Page: page, Form: form, Agents: agents}))
}

// createTicket opens a ticket on a customer's behalf; bad input re-renders the form with every value kept.
func (s *Server) createTicket(c echo.Context) error {
	u, _ := currentUser(c)
	assignee, _ := strconv.ParseInt(c.FormValue("assignee"), 10, 64)
	form := templates.NewTicketForm{
		Subject: c.FormValue("subject"), Body: c.FormValue("body"),
		CustomerName: c.FormValue("customer_name"), CustomerEmail: c.FormValue("customer_email"),
		Priority: desk.Priority(c.FormValue("priority")), Tags: c.FormValue("tags"), AssigneeID: assignee,
	}
	t, err := s.desk.CreateTicket(c.Request().Context(), desk.NewTicket{
		Subject: form.Subject, Body: form.Body, CustomerName: form.CustomerName, CustomerEmail: form.CustomerEmail,
		Priority: form.Priority, Channel: desk.ChannelPhone, Tags: desk.SplitTags(form.Tags), AssigneeID: assignee, ByUserID: u.ID,
	})
	fixable, err := userFacing(t, err)
	if err != nil {
		return err
	}
	if fixable != nil {
		form.Errors = fieldError(c, fixable, "subject")
		return s.renderNewTicket(c, fixableStatus(fixable), form)
	}
	return c.Redirect(http.StatusSeeOther, "/tickets/"+strconv.FormatInt(t.Number, 10))
}

// suggestCustomers answers the new-ticket form's e-mail field with matching customers.
func (s *Server) suggestCustomers(c echo.Context) error {
	prefix := strings.TrimSpace(c.QueryParam("customer_email"))
	if len(prefix) < 2 {
		return render(c, http.StatusOK, templates.CustomerSuggestions(nil))
	}
	customers, err := s.store.FindCustomers(c.Request().Context(), prefix, 8)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.CustomerSuggestions(customers))
}
