package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/live"
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
	p.Composer.SeenID = lastMessageID(p.Thread)
	p.Composer.NoAcknowledge = !answersCustomer(p.Thread)
	return p, nil
}

// postMessage sends a reply or note. A reply passes the coach's gate first: an error-level finding
// needs the agent's reason. Any refusal brings the composer back with everything that was typed.
func (s *Server) postMessage(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	form := readComposer(c)
	m := desk.NewMessage{Kind: form.Kind, Body: form.Body, UserID: u.ID, SetStatus: form.Status, DraftRev: form.DraftRev, SeenID: form.SeenID}
	if m.Kind == desk.KindNote {
		m.SeenID = 0 // a note to colleagues cannot collide with what the customer was told
	}
	gate, fixable, err := s.coachOutgoing(ctx, n, &m, form)
	if err != nil {
		return err
	}
	var sent desk.Message
	if fixable == nil {
		if sent, err = s.store.AddMessage(ctx, n, m); err != nil {
			if fixable, err = splitFixable(err); err != nil {
				return err
			}
		}
	}
	p, err := s.loadTicketPage(c, n)
	if err != nil {
		return err
	}
	if fixable == nil {
		s.live.Publish(live.Event{Type: live.TypeMessage, TicketID: p.Ticket.ID, ActorID: u.ID, ActorName: u.Name, MessageID: sent.ID, Kind: string(sent.Kind)})
	} else {
		p.Composer = refusedComposer(c, p, form, gate, fixable, u.ID)
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

// coachOutgoing coaches a reply before it is stored and closes the gate on an unexcused error.
// Notes are not coached; input the domain refuses is left for AddMessage to name.
func (s *Server) coachOutgoing(ctx context.Context, number int64, m *desk.NewMessage, f composerPost) (*templates.Gate, *desk.Error, error) {
	probe := *m
	if probe.Normalize() != nil || probe.Kind != desk.KindReply {
		return nil, nil, nil
	}
	switch {
	case !coach.ValidLang(f.Lang):
		return nil, desk.Errorf(desk.EINVALID, "lang", "Unknown language %q: use da, nb, sv, en or auto.", f.Lang), nil
	case len(f.Reason) > desk.MaxOverrideReason:
		return nil, desk.Errorf(desk.ETOOLARGE, "override_reason", "Keep the reason under %d characters.", desk.MaxOverrideReason), nil
	}
	t, err := s.store.Ticket(ctx, number)
	if err != nil {
		return nil, nil, err
	}
	thread, err := s.store.Thread(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	rec, errs := s.coachReply(probe.Body, f.Lang, !answersCustomer(thread), parseMarks(f.Marks), f.Reason)
	if len(errs) > 0 && f.Reason == "" {
		return &templates.Gate{Findings: errs}, desk.Errorf(desk.EINVALID, "override_reason", "This reply has an error the coach stops: fix it, or give a reason and send anyway."), nil
	}
	m.Coaching = rec
	return nil, nil, nil
}

// refusedComposer puts back everything the agent typed, with the reason the send was refused.
func refusedComposer(c echo.Context, p templates.TicketPage, f composerPost, gate *templates.Gate, e *desk.Error, agentID int64) templates.Composer {
	out := f.Composer
	out.NoAcknowledge = p.Composer.NoAcknowledge
	if out.DraftRev < p.Composer.DraftRev {
		out.DraftRev = p.Composer.DraftRev
	}
	out.Gate = gate
	if e.Code == desk.ECONFLICT && e.Field == "seen" {
		// Shown once: the page now holds the new message, so sending again goes through.
		out.Collision = wroteMeanwhile(p.Thread, f.SeenID, agentID)
		out.SeenID = p.Composer.SeenID
		return out
	}
	field := e.Field
	if field != "override_reason" && field != "lang" {
		// One message beside the text box, whichever input was at fault (a closed ticket names "ticket").
		field = "body"
	}
	out.Errors = templates.FieldErrors{field: localized(c, e)}
	return out
}

// updateProperties changes status, assignee, priority and tags from the sidebar.
func (s *Server) updateProperties(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	t, err := s.store.UpdateTicket(ctx, n, u.ID, changeFromForm(c))
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
	} else {
		s.live.Publish(live.Event{Type: live.TypeTicket, TicketID: t.ID, ActorID: u.ID, ActorName: u.Name})
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
