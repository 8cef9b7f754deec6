package web

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/mail"
	"coachdesk/templates"
)

// mailRoutes are the mail channel's pages: mailboxes for admins; a reply's retry, a received mail's
// original and its attachments for agents.
func (s *Server) mailRoutes(ui *echo.Group, agent, admin echo.MiddlewareFunc) {
	ui.GET("/admin/mailboxes", s.mailboxes, admin)
	ui.POST("/admin/mailboxes", s.saveMailbox, admin)
	ui.GET("/admin/mailboxes/confirmation", s.confirmation, admin)
	ui.POST("/admin/mailboxes/confirmation", s.saveConfirmation, admin)
	ui.POST("/admin/mailboxes/:id", s.saveMailbox, admin)
	ui.POST("/admin/mailboxes/:id/delete", s.deleteMailbox, admin)
	ui.POST("/tickets/:number/messages/:id/retry", s.retryMail, agent)
	ui.GET("/tickets/:number/messages/:id/original", s.originalMail, agent)
	ui.GET("/attachments/:id", s.attachment, agent)
}

// ticketMail is what the thread shows of the mail channel: delivery states, files and originals.
func (s *Server) ticketMail(ctx context.Context, ticketID int64) (templates.TicketMail, error) {
	var m templates.TicketMail
	var err error
	if m.Deliveries, err = s.store.Deliveries(ctx, ticketID, 0); err != nil {
		return m, err
	}
	if m.Attachments, err = s.store.Attachments(ctx, ticketID); err != nil {
		return m, err
	}
	m.Original, err = s.store.MailedMessages(ctx, ticketID)
	return m, err
}

func (s *Server) mailboxes(c echo.Context) error {
	form := templates.MailboxForm{}
	if id, err := strconv.ParseInt(c.QueryParam("edit"), 10, 64); err == nil && id > 0 {
		b, err := s.store.Mailbox(c.Request().Context(), id)
		if err != nil {
			return err
		}
		form = templates.MailboxForm{ID: b.ID, In: desk.MailboxInput{Address: b.Address, Name: b.Name, Active: b.Active,
			IMAPHost: b.IMAPHost, IMAPPort: b.IMAPPort, IMAPSecurity: b.IMAPSecurity, IMAPUser: b.IMAPUser, IMAPFolder: b.IMAPFolder, IMAPDone: b.IMAPDone,
			SMTPHost: b.SMTPHost, SMTPPort: b.SMTPPort, SMTPSecurity: b.SMTPSecurity, SMTPUser: b.SMTPUser}}
	}
	return s.renderMailboxes(c, http.StatusOK, form, c.QueryParam("saved"))
}

func (s *Server) renderMailboxes(c echo.Context, status int, form templates.MailboxForm, saved string) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "mail.mailboxes"), "")
	if err != nil {
		return err
	}
	boxes, err := s.store.Mailboxes(ctx)
	if err != nil {
		return err
	}
	return render(c, status, templates.Mailboxes(templates.MailboxesPage{Page: page, Mailboxes: boxes, Form: form, Saved: saved, KeySet: s.mail.CanSeal()}))
}

// saveMailbox adds or edits a mailbox; the passwords typed are sealed and never shown again, and a
// refused save comes back with everything else the admin typed.
func (s *Server) saveMailbox(c echo.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c); err != nil {
			return err
		}
	}
	port := func(name string) int { n, _ := strconv.Atoi(c.FormValue(name)); return n }
	in := desk.MailboxInput{Address: c.FormValue("address"), Name: c.FormValue("name"), Active: c.FormValue("active") == "1",
		IMAPHost: c.FormValue("imap_host"), IMAPPort: port("imap_port"), IMAPSecurity: c.FormValue("imap_security"), IMAPUser: c.FormValue("imap_user"),
		IMAPPassword: c.FormValue("imap_password"), IMAPFolder: c.FormValue("imap_folder"), IMAPDone: c.FormValue("imap_done"),
		SMTPHost: c.FormValue("smtp_host"), SMTPPort: port("smtp_port"), SMTPSecurity: c.FormValue("smtp_security"), SMTPUser: c.FormValue("smtp_user"),
		SMTPPassword: c.FormValue("smtp_password")}
	box, err := s.mail.SaveMailbox(c.Request().Context(), id, in)
	if errors.Is(err, mail.ErrNoKey) {
		err = desk.Errorf(desk.EINVALID, "smtp_password", "%s", err.Error())
		if in.IMAPPassword != "" {
			err = desk.Errorf(desk.EINVALID, "imap_password", "%s", mail.ErrNoKey.Error())
		}
	}
	fixable, err := splitFixable(err)
	if err != nil {
		return err
	}
	if fixable != nil {
		in.IMAPPassword, in.SMTPPassword = "", ""
		return s.renderMailboxes(c, fixableStatus(fixable), templates.MailboxForm{ID: id, In: in, Errors: fieldError(c, fixable, "address")}, "")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/mailboxes?saved="+box.Address)
}

func (s *Server) deleteMailbox(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteMailbox(c.Request().Context(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/mailboxes")
}

// retryMail queues a failed reply again; the thread redraws from the live event, or the page reloads.
func (s *Server) retryMail(c echo.Context) error {
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.store.Ticket(ctx, n)
	if err != nil {
		return err
	}
	if _, err := s.mail.RetryMail(ctx, t.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/tickets/"+strconv.FormatInt(n, 10)+"#m"+strconv.FormatInt(id, 10))
}

// originalMail shows a received mail byte for byte, as text: it is never rendered as HTML.
func (s *Server) originalMail(c echo.Context) error {
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.store.Ticket(ctx, n)
	if err != nil {
		return err
	}
	raw, ticketID, err := s.store.InboundRawOf(ctx, id)
	if err != nil {
		return err
	}
	if ticketID != t.ID {
		return desk.Errorf(desk.ENOTFOUND, "", "Message %d is not on ticket %s.", id, desk.FormatNumber(n))
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", raw)
}

// attachment downloads a customer's file: always as an attachment, never shown in the page, so a
// file that is HTML or script cannot run as the app.
func (s *Server) attachment(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, _, data, err := s.store.AttachmentContent(c.Request().Context(), id)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	// ?view=inline shows a picture in the thread (a mail's cid: image); everything else downloads.
	if c.QueryParam("view") == "inline" && a.Viewable() {
		h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": a.Filename}))
		h.Set("Cache-Control", "private, max-age=86400")
		return c.Blob(http.StatusOK, strings.ToLower(strings.TrimSpace(a.ContentType)), data)
	}
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	return c.Blob(http.StatusOK, "application/octet-stream", data)
}

func confirmationLang(c echo.Context) string {
	if l := c.QueryParam("lang"); slices.Contains(helpdesk.ConfirmationLangs, l) {
		return l
	}
	return "da"
}

func (s *Server) confirmation(c echo.Context) error {
	ctx := c.Request().Context()
	text, err := s.mail.ConfirmationText(ctx, confirmationLang(c))
	if err != nil {
		return err
	}
	return s.renderConfirmation(c, http.StatusOK, templates.ConfirmationPage{Lang: text.Lang, Subject: text.Subject, Body: text.Body, Custom: text.Custom, Saved: c.QueryParam("saved") != ""})
}

func (s *Server) renderConfirmation(c echo.Context, status int, p templates.ConfirmationPage) error {
	page, err := s.page(c, i18n.T(c.Request().Context(), "mail.confirmation"), "")
	if err != nil {
		return err
	}
	p.Page, p.Langs = page, helpdesk.ConfirmationLangs
	return render(c, status, templates.Confirmation(p))
}

// saveConfirmation stores the admins' text, coached like a saved reply: an error-level finding refuses it.
func (s *Server) saveConfirmation(c echo.Context) error {
	u, _ := currentUser(c)
	p := templates.ConfirmationPage{Lang: confirmationLang(c), Subject: c.FormValue("subject"), Body: c.FormValue("body")}
	saveErr := s.mail.SaveConfirmationText(c.Request().Context(), u, helpdesk.ConfirmationText{Lang: p.Lang, Subject: p.Subject, Body: p.Body})
	var refused *helpdesk.Refused
	if errors.As(saveErr, &refused) {
		p.Errors = templates.FieldErrors{"body": i18n.T(c.Request().Context(), "saved.gate", map[string]any{"Rules": ruleNames(c, refused.Findings)})}
		return s.renderConfirmation(c, http.StatusUnprocessableEntity, p)
	}
	fixable, err := splitFixable(saveErr)
	if err != nil {
		return err
	}
	if fixable != nil {
		p.Errors = fieldError(c, fixable, "body")
		return s.renderConfirmation(c, fixableStatus(fixable), p)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/mailboxes/confirmation?saved=1&lang="+p.Lang)
}
