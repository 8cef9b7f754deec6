package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/templates"
)

func ticketNumber(c echo.Context) (int64, error) {
	n, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil || n <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "", "Ticket %q does not exist.", c.Param("number"))
	}
	return n, nil
}

// ticketPage loads everything the ticket page shows; composer carries what the agent typed.
func (s *Server) ticketPage(c echo.Context) error {
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	p, err := s.loadTicketPage(c, n)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.TicketView(p))
}

func (s *Server) loadTicketPage(c echo.Context, number int64) (templates.TicketPage, error) {
	ctx := c.Request().Context()
	var p templates.TicketPage
	var err error
	if p.Ticket, err = s.store.Ticket(ctx, number); err != nil {
		return p, err
	}
	if p.Page, err = s.page(c, desk.FormatNumber(number)+" "+p.Ticket.Subject, ""); err != nil {
		return p, err
	}
	if p.Thread, err = s.store.Thread(ctx, p.Ticket.ID); err != nil {
		return p, err
	}
	if p.Events, err = s.store.Events(ctx, p.Ticket.ID); err != nil {
		return p, err
	}
	if p.Agents, err = s.store.Agents(ctx); err != nil {
		return p, err
	}
	if p.Others, err = s.store.CustomerTickets(ctx, p.Ticket.Customer.ID, 6); err != nil {
		return p, err
	}
	if p.SavedReplies, err = s.store.SavedReplies(ctx); err != nil {
		return p, err
	}
	p.Composer.Kind = desk.KindReply
	return p, nil
}

// postMessage sends a reply or note; on bad input the composer comes back with the text and the reason.
func (s *Server) postMessage(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	m := desk.NewMessage{Kind: desk.MessageKind(c.FormValue("kind")), Body: c.FormValue("body"), UserID: u.ID, SetStatus: desk.Status(c.FormValue("status"))}
	fixable, err := userFacing(s.store.AddMessage(ctx, n, m))
	if err != nil {
		return err
	}
	p, err := s.loadTicketPage(c, n)
	if err != nil {
		return err
	}
	if fixable != nil {
		// The composer shows one message, beside the text box, whichever input was at fault
		// (a closed ticket names "ticket", an unknown status "status"); keyed otherwise, it showed nothing.
		p.Composer = templates.Composer{Kind: m.Kind, Body: m.Body, Status: m.SetStatus, Errors: templates.FieldErrors{"body": localized(c, fixable)}}
	}
	if !isHTMX(c) {
		if fixable == nil {
			return c.Redirect(http.StatusSeeOther, "/tickets/"+strconv.FormatInt(n, 10))
		}
		return render(c, fixableStatus(fixable), templates.TicketView(p))
	}
	p.OOB = true
	// htmx swaps 2xx only, so a rejected send answers 200 too: the composer shows the reason beside the text.
	return renderAll(c, http.StatusOK, templates.Conversation(p), templates.Properties(p), templates.AuditTrail(p.Events, true))
}

// updateProperties changes status, assignee, priority and tags from the sidebar.
func (s *Server) updateProperties(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	fixable, err := userFacing(s.store.UpdateTicket(ctx, n, u.ID, changeFromForm(c)))
	if err != nil {
		return err
	}
	p, err := s.loadTicketPage(c, n)
	if err != nil {
		return err
	}
	if fixable != nil {
		p.PropertiesErr = localized(c, fixable)
	}
	if !isHTMX(c) {
		if fixable != nil {
			return render(c, fixableStatus(fixable), templates.TicketView(p))
		}
		return c.Redirect(http.StatusSeeOther, "/tickets/"+strconv.FormatInt(n, 10))
	}
	return renderAll(c, http.StatusOK, templates.Properties(p), templates.AuditTrail(p.Events, true))
}

// changeFromForm reads only the fields the form sent, so a partial post changes only those.
func changeFromForm(c echo.Context) desk.Change {
	var ch desk.Change
	form, _ := c.FormParams()
	if form.Has("status") {
		st := desk.Status(form.Get("status"))
		ch.Status = &st
	}
	if form.Has("priority") {
		pr := desk.Priority(form.Get("priority"))
		ch.Priority = &pr
	}
	if form.Has("assignee") {
		id, err := strconv.ParseInt(form.Get("assignee"), 10, 64)
		if err != nil {
			id = -1 // rejected by validation with a message naming the field
		}
		ch.AssigneeID = &id
	}
	if form.Has("tags") {
		tags := desk.SplitTags(form.Get("tags"))
		ch.Tags = &tags
	}
	return ch
}
