package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

// page fills the layout's common parts: the user, the CSRF token and the live view counts.
func (s *Server) page(c echo.Context, title string, view desk.View) (templates.Page, error) {
	u, _ := currentUser(c)
	counts, err := s.store.Counts(c.Request().Context(), u.ID)
	return templates.Page{Title: title, User: u, CSRF: csrfToken(c), Counts: counts, View: view}, err
}

func (s *Server) inbox(c echo.Context) error {
	ctx := c.Request().Context()
	u, _ := currentUser(c)
	f := filterFromQuery(c)
	f.UserID = u.ID

	// Read before the list, so an event the list may have missed is one the page's stream reports.
	p := templates.InboxPage{Filter: f, LiveSeq: s.desk.Events().DeskSeq()}
	page, err := s.store.ListTickets(ctx, f)
	if e, ok := desk.AsError(err); ok && e.Code == desk.EINVALID {
		p.Error, err = localized(c, e), nil
		// Start over from the view alone, or from the default view when the view itself is unknown
		// (keeping it failed the same way again and answered with an error page).
		view := f.View
		if !view.Valid() {
			view = desk.ViewMine
		}
		f = desk.Filter{View: view, UserID: u.ID}
		page, err = s.store.ListTickets(ctx, f)
	}
	if err != nil {
		return err
	}
	p.Filter, p.Tickets, p.Next = f, page.Tickets, page.Next
	if f.Query != "" {
		if p.Snippets, err = s.store.Snippets(ctx, f.Query, page.Tickets); err != nil {
			return err
		}
	}
	if hx(c).Request() && hx(c).Target() == "ticket-list" {
		if p.Counts, err = s.store.Counts(ctx, u.ID); err != nil {
			return err
		}
		return renderAll(c, http.StatusOK, templates.TicketList(p), templates.ListCounts(p))
	}
	if p.Page, err = s.page(c, i18n.T(ctx, "view."+string(f.View)), f.View); err != nil {
		return err
	}
	p.Page.Query = f.Query
	if p.Agents, err = s.store.Agents(ctx); err != nil {
		return err
	}
	if p.Tags, err = s.store.Tags(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Inbox(p))
}

// filterFromQuery reads the inbox's query string; the store validates what it means.
func filterFromQuery(c echo.Context) desk.Filter {
	f := desk.Filter{
		View:     desk.View(c.QueryParam("view")),
		Status:   desk.Status(c.QueryParam("status")),
		Priority: desk.Priority(c.QueryParam("priority")),
		Tag:      c.QueryParam("tag"),
		Query:    c.QueryParam("q"),
		Sort:     desk.Sort(c.QueryParam("sort")),
		After:    c.QueryParam("after"),
	}
	if f.View == "" {
		f.View = desk.ViewMine
		if f.Query != "" {
			f.View = desk.ViewAll
		}
	}
	f.AssigneeID, _ = strconv.ParseInt(c.QueryParam("assignee"), 10, 64)
	f.CustomerID, _ = strconv.ParseInt(c.QueryParam("customer"), 10, 64)
	f.Limit, _ = strconv.Atoi(c.QueryParam("limit"))
	return f
}
