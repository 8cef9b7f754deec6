package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/store"
	"coachdesk/templates"
)

// accountRoutes are the pages where people manage their own account, and admins everyone's.
func (s *Server) accountRoutes(ui *echo.Group, agent, admin echo.MiddlewareFunc) {
	ui.GET("/account", s.account, agent)
	ui.POST("/account/password", s.changePassword, agent)
	ui.POST("/account/signature", s.saveSignature, agent)
	ui.POST("/account/tokens", s.createToken, agent)
	ui.POST("/account/tokens/:id/revoke", s.revokeOwnToken, agent)

	ui.GET("/admin/users/:id", s.editUser, admin)
	ui.POST("/admin/users/:id/profile", s.updateProfile, admin)
	ui.POST("/admin/users/:id/reset", s.issueReset, admin)
	ui.GET("/admin/tokens", s.allTokens, admin)
	ui.POST("/admin/tokens/:id/revoke", s.revokeAnyToken, admin)

	// No session needed: the one-time code in the link is the key.
	ui.GET("/reset/:code", s.resetForm)
	ui.POST("/reset/:code", s.resetPassword)
}

func (s *Server) account(c echo.Context) error {
	p := templates.AccountPage{}
	switch {
	case c.QueryParam("password") != "":
		p.Notice = i18n.T(c.Request().Context(), "account.password_changed")
	case c.QueryParam("revoked") != "":
		p.Notice = i18n.T(c.Request().Context(), "tokens.revoked")
	case c.QueryParam("signature") != "":
		p.Notice = i18n.T(c.Request().Context(), "mail.signature_saved")
	}
	return s.renderAccount(c, http.StatusOK, p)
}

// Signature limits: a sign-off, not a letterhead.
const (
	signatureMaxChars = 1000
	signatureMaxLines = 10
)

// saveSignature sets the text below the agent's mailed replies; empty removes it.
func (s *Server) saveSignature(c echo.Context) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	body := strings.TrimSpace(strings.ReplaceAll(c.FormValue("signature"), "\r\n", "\n"))
	if utf8.RuneCountInString(body) > signatureMaxChars || strings.Count(body, "\n") >= signatureMaxLines {
		msg := i18n.T(ctx, "mail.signature_too_long", map[string]any{"Max": signatureMaxChars, "Lines": signatureMaxLines})
		return s.renderAccount(c, http.StatusUnprocessableEntity, templates.AccountPage{
			Signature: templates.SignatureForm{Body: c.FormValue("signature"), Errors: templates.FieldErrors{"signature": msg}}})
	}
	if err := s.store.SetSignature(ctx, me.ID, body); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account?signature=1#signature-form")
}

func (s *Server) renderAccount(c echo.Context, status int, p templates.AccountPage) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "account.title"), "")
	if err != nil {
		return err
	}
	tokens, err := s.store.Tokens(ctx, page.User.ID)
	if err != nil {
		return err
	}
	p.Page, p.Tokens = page, tokens
	if p.Signature.Errors == nil { // a refused save shows what was typed, not what is stored
		if p.Signature.Body, err = s.store.Signature(ctx, page.User.ID); err != nil {
			return err
		}
	}
	return render(c, status, templates.Account(p))
}

// changePassword needs the current password; the new one ends the user's other sessions and this
// one carries on under the new session epoch.
func (s *Server) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	form := templates.PasswordForm{New: c.FormValue("new_password"), Repeat: c.FormValue("new_password_repeat"), Errors: templates.FieldErrors{}}
	status := http.StatusUnprocessableEntity
	// Wrong guesses at the current password are limited as sign-ins are: a session left open is no oracle.
	key := "password:" + strconv.FormatInt(me.ID, 10)
	blocked, err := s.limits.Blocked(ctx, key, signIn.Account)
	if err != nil {
		return err
	}
	switch current := c.FormValue("current_password"); {
	case current == "":
		form.Errors["current_password"] = i18n.T(ctx, "account.current_required")
	case blocked:
		form.Errors["current_password"], status = i18n.T(ctx, "account.too_many"), http.StatusTooManyRequests
	case !auth.CheckPassword(me.PasswordHash, current):
		if err := s.limits.Spend(ctx, key, signIn.Account); err != nil {
			return err
		}
		form.Errors["current_password"] = i18n.T(ctx, "account.wrong_password")
	}
	checkNewPassword(c, &form)
	if len(form.Errors) > 0 {
		return s.renderAccount(c, status, templates.AccountPage{Password: form})
	}
	hash, err := auth.HashPassword(form.New)
	if err != nil {
		return err
	}
	epoch, err := s.store.ChangePassword(ctx, me.ID, hash)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionEpoch, epoch)
	return c.Redirect(http.StatusSeeOther, "/account?password=1")
}

// checkNewPassword puts the password rule's and the repeat's problems beside their fields.
func checkNewPassword(c echo.Context, form *templates.PasswordForm) {
	ctx := c.Request().Context()
	if form.New == "" {
		form.Errors["new_password"] = i18n.T(ctx, "account.new_required")
	} else if err := auth.ValidatePassword("new_password", form.New); err != nil {
		form.Errors["new_password"] = i18n.T(ctx, "account.password_rule_broken")
	} else if form.Repeat != form.New {
		form.Errors["new_password_repeat"] = i18n.T(ctx, "account.repeat_differs")
	}
}

// createToken makes an API token for the signed-in user and shows its secret in this answer only.
func (s *Server) createToken(c echo.Context) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	form := templates.TokenForm{Name: desk.CleanText(c.FormValue("token_name")), ExpiresDays: c.FormValue("expires_days"),
		Integration: c.FormValue("integration") == "1", Errors: templates.FieldErrors{}}
	if form.Integration && !me.Role.AtLeast(desk.RoleAdmin) {
		return desk.Errorf(desk.EFORBIDDEN, "integration", "Only administrators create tokens that post as the customer.")
	}
	if e, ok := desk.AsError(desk.ValidateName("token_name", form.Name)); ok {
		form.Errors["token_name"] = localized(c, e)
	}
	var expires time.Time
	if form.ExpiresDays != "" {
		days, err := strconv.Atoi(form.ExpiresDays)
		if err != nil || !slices.Contains(templates.TokenLifetimes, form.ExpiresDays) {
			form.Errors["expires_days"] = i18n.T(ctx, "tokens.bad_expiry")
		}
		expires = time.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	if len(form.Errors) > 0 {
		return s.renderAccount(c, http.StatusUnprocessableEntity, templates.AccountPage{TokenForm: form})
	}
	secret, tok, err := s.store.IssueToken(ctx, me.Email, form.Name, form.Integration, expires)
	if err != nil {
		return err
	}
	return s.renderAccount(c, http.StatusCreated, templates.AccountPage{NewToken: secret, NewTokenFor: tok.Name})
}

func (s *Server) revokeOwnToken(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := pathID(c)
	if err == nil {
		// Only the owner's own: someone else's token id is "not found", not a way to probe.
		err = s.store.RevokeToken(c.Request().Context(), id, me.ID)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account?revoked=1")
}

// allTokens is the admin's list of every token with its owner.
func (s *Server) allTokens(c echo.Context) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "tokens.all_title"), "")
	if err != nil {
		return err
	}
	tokens, err := s.store.Tokens(ctx, 0)
	if err != nil {
		return err
	}
	p := templates.TokensPage{Page: page, Tokens: tokens}
	if c.QueryParam("revoked") != "" {
		p.Notice = i18n.T(ctx, "tokens.revoked")
	}
	return render(c, http.StatusOK, templates.AdminTokens(p))
}

func (s *Server) revokeAnyToken(c echo.Context) error {
	id, err := pathID(c)
	if err == nil {
		err = s.store.RevokeToken(c.Request().Context(), id, 0)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/tokens?revoked=1")
}

// resetForm opens a reset link: the form for the new password, or why the link no longer works.
func (s *Server) resetForm(c echo.Context) error {
	u, status, err := s.store.CheckReset(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return s.renderReset(c, status, u, templates.PasswordForm{})
}

// resetPassword sets the new password with a link that still works; every session of the user ends.
func (s *Server) resetPassword(c echo.Context) error {
	ctx := c.Request().Context()
	code := c.Param("code")
	u, status, err := s.store.CheckReset(ctx, code)
	if err != nil || status != store.ResetValid {
		if err != nil {
			return err
		}
		return s.renderReset(c, status, u, templates.PasswordForm{})
	}
	form := templates.PasswordForm{New: c.FormValue("new_password"), Repeat: c.FormValue("new_password_repeat"), Errors: templates.FieldErrors{}}
	if checkNewPassword(c, &form); len(form.Errors) > 0 {
		return s.renderReset(c, status, u, form)
	}
	hash, err := auth.HashPassword(form.New)
	if err != nil {
		return err
	}
	if u, status, err = s.store.UseReset(ctx, code, hash); err != nil {
		return err
	}
	if status != store.ResetValid {
		return s.renderReset(c, status, u, templates.PasswordForm{}) // another tab used it first
	}
	s.speakAs(c, u)
	p := templates.ResetPage{CSRF: csrfToken(c), State: "done", Email: u.Email}
	return render(c, http.StatusOK, templates.ResetPassword(p))
}

// renderReset shows the reset page for a code in the state status: 410 for a used or expired link,
// 404 for one that never was, 422 for a form with problems.
func (s *Server) renderReset(c echo.Context, status store.ResetStatus, u desk.User, form templates.PasswordForm) error {
	s.speakAs(c, u)
	p := templates.ResetPage{CSRF: csrfToken(c), Code: c.Param("code"), Email: u.Email, Form: form}
	code := http.StatusOK
	switch status {
	case store.ResetValid:
		p.State = "form"
		if len(form.Errors) > 0 {
			code = http.StatusUnprocessableEntity
		}
	case store.ResetExpired:
		p.State, code = "expired", http.StatusGone
	case store.ResetUsed:
		p.State, code = "used", http.StatusGone
	default:
		p.State, code = "unknown", http.StatusNotFound
	}
	return render(c, code, templates.ResetPassword(p))
}

// speakAs answers in the language the user picked, once the code says who they are: nobody is
// signed in on a reset page, so the visitor's guess would otherwise decide.
func (s *Server) speakAs(c echo.Context, u desk.User) {
	if u.ID != 0 && i18n.Valid(u.Locale) {
		c.SetRequest(c.Request().WithContext(i18n.WithLocalizer(c.Request().Context(), s.i18n.For(u.Locale))))
	}
}

// pathID reads the :id of the path; a malformed one is "not found".
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "", "No %q here.", c.Param("id"))
	}
	return id, nil
}
