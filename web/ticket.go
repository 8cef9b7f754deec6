package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/i18n"
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
	u, _ := currentUser(c)
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
	draft, err := s.store.Draft(ctx, p.Ticket.ID, u.ID)
	if err != nil {
		return p, err
	}
	p.Composer = templates.Composer{Kind: desk.KindReply, Body: draft.Body, Lang: p.Ticket.Language, DraftRev: draft.Rev}
	if draft.Body != "" && draft.Kind != "" {
		p.Composer.Kind = draft.Kind
	}
	if draft.Body != "" && draft.Lang != "" {
		p.Composer.Lang = draft.Lang
	}
	if p.Mail, err = s.ticketMail(ctx, p.Ticket.ID); err != nil {
		return p, err
	}
	p.Composer.SeenID = lastMessageID(p.Thread)
	p.Composer.NoAcknowledge = !helpdesk.AnswersCustomer(p.Thread)
	return p, nil
}

// postMessage sends a reply or note through the helpdesk, which coaches and gates a reply.
// Any refusal brings the composer back with everything that was typed.
func (s *Server) postMessage(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	form := readComposer(c)
	_, sendErr := s.desk.Send(ctx, helpdesk.Outgoing{Number: n, Agent: u, Kind: form.Kind, Body: form.Body, SetStatus: form.Status,
		Lang: form.Lang, Marks: parseMarks(form.Marks), OverrideReason: form.Reason, DraftRev: form.DraftRev, SeenID: form.SeenID})
	fixable, err := splitFixable(sendErr)
	if err != nil {
		return err
	}
	p, err := s.loadTicketPage(c, n)
	if err != nil {
		return err
	}
	if fixable != nil {
		p.Composer = refusedComposer(c, p, form.Composer, sendErr)
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

// composerPost is what the composer sends: the message and the coach's context around it.
type composerPost struct{ templates.Composer }

func readComposer(c echo.Context) composerPost {
	var f composerPost
	f.Kind = desk.MessageKind(c.FormValue("kind"))
	f.Body = c.FormValue("body")
	f.Status = desk.Status(c.FormValue("status"))
	f.Lang = c.FormValue("lang")
	f.Marks = c.FormValue("coach_marks")
	f.Reason = strings.TrimSpace(c.FormValue("override_reason"))
	f.DraftRev, _ = strconv.ParseInt(c.FormValue("draft_rev"), 10, 64)
	f.SeenID, _ = strconv.ParseInt(c.FormValue("seen"), 10, 64)
	return f
}

// refusedComposer puts back everything the agent typed, with the reason the send was refused.
func refusedComposer(c echo.Context, p templates.TicketPage, typed templates.Composer, err error) templates.Composer {
	out := typed
	out.NoAcknowledge = p.Composer.NoAcknowledge
	if out.DraftRev < p.Composer.DraftRev {
		out.DraftRev = p.Composer.DraftRev
	}
	var refused *helpdesk.Refused
	if errors.As(err, &refused) {
		out.Gate = &templates.Gate{Findings: refused.Findings}
	}
	var collision *helpdesk.Collision
	if errors.As(err, &collision) {
		// Shown once: the page now holds the new message, so sending again goes through.
		out.Collision = collision.Author
		out.SeenID = p.Composer.SeenID
		return out
	}
	e, _ := desk.AsError(err)
	field := e.Field
	if field != "override_reason" && field != "lang" {
		// One message beside the text box, whichever input was at fault (a closed ticket names "ticket").
		field = "body"
	}
	out.Errors = templates.FieldErrors{field: bodyMessage(c, typed, e)}
	return out
}

// bodyMessage is what the composer says about a refused text: an empty or over-long text in the
// composer's own words (the same the page says before sending), anything else as every form says it.
func bodyMessage(c echo.Context, typed templates.Composer, e *desk.Error) string {
	ctx := c.Request().Context()
	switch {
	case e.Field != "body":
	case e.Reason == desk.ReasonRequired && typed.Kind == desk.KindNote:
		return i18n.T(ctx, "composer.note_missing")
	case e.Reason == desk.ReasonRequired:
		return i18n.T(ctx, "composer.body_missing")
	case e.Code == desk.ETOOLARGE:
		size := len(strings.TrimSpace(strings.ReplaceAll(typed.Body, "\r\n", "\n")))
		return i18n.T(ctx, "composer.body_too_long", map[string]any{"Size": (size + 1023) >> 10, "Max": desk.MaxBody >> 10})
	}
	return localized(c, e)
}

// updateProperties changes status, assignee, priority and tags from the sidebar.
func (s *Server) updateProperties(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	_, err = s.desk.ChangeTicket(ctx, n, u, changeFromForm(c))
	fixable, err := splitFixable(err)
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
	if form.Has("language") {
		lang := form.Get("language")
		ch.Language = &lang
	}
	if form.Has("tags") {
		tags := desk.SplitTags(form.Get("tags"))
		ch.Tags = &tags
	}
	return ch
}
