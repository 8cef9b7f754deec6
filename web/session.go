package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

const (
	sessionUserID = "user_id"
	sessionEpoch  = "epoch"
	ctxUser       = "user"
	ctxToken      = "api_token"
	langCookie    = "coachdesk_lang"
)

// loadUser finds the signed-in user, if any, and sets the request's language.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		locale := ""
		if id := s.sessions.GetInt64(ctx, sessionUserID); id != 0 {
			u, err := s.store.UserByID(ctx, id)
			// A session from before the user's last block or password change is void.
			if err == nil && u.Active && s.sessions.GetInt64(ctx, sessionEpoch) == u.SessionEpoch {
				c.Set(ctxUser, u)
				locale = u.Locale
				ctx = templates.WithRole(ctx, u.Role)
			}
		}
		if locale == "" {
			locale = guestLocale(c)
		}
		c.SetRequest(c.Request().WithContext(i18n.WithLocalizer(ctx, s.i18n.For(locale))))
		return next(c)
	}
}

func guestLocale(c echo.Context) string {
	if ck, err := c.Cookie(langCookie); err == nil && i18n.Valid(ck.Value) {
		return ck.Value
	}
	if strings.HasPrefix(c.Request().Header.Get("Accept-Language"), "en") {
		return "en"
	}
	return "da"
}

func currentUser(c echo.Context) (desk.User, bool) {
	u, ok := c.Get(ctxUser).(desk.User)
	return u, ok
}

// requireRole lets through signed-in users whose role is at least min.
func (s *Server) requireRole(min desk.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := currentUser(c)
			if !ok {
				return desk.Errorf(desk.EUNAUTHORIZED, "", "Sign in first.")
			}
			if !u.Role.AtLeast(min) {
				return desk.Errorf(desk.EFORBIDDEN, "", "Your role does not allow this.")
			}
			return next(c)
		}
	}
}

func csrfToken(c echo.Context) string {
	token, _ := c.Get("csrf").(string)
	return token
}

func (s *Server) signInForm(c echo.Context) error {
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return render(c, http.StatusOK, templates.SignIn(templates.SignInForm{Next: c.QueryParam("next"), CSRF: csrfToken(c)}))
}

func (s *Server) signIn(c echo.Context) error {
	ctx := c.Request().Context()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	form := templates.SignInForm{Email: email, Next: c.FormValue("next"), CSRF: csrfToken(c)}
	loc, _ := i18n.From(ctx)

	accountKey, addressKey := "signin:account:"+email, "signin:addr:"+c.RealIP()
	ok, refund, err := s.limits.SignInAttempt(ctx, accountKey, addressKey)
	if err != nil {
		return err
	}
	if !ok {
		form.Error = loc.T("signin.rate_limited")
		return render(c, http.StatusTooManyRequests, templates.SignIn(form))
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil {
		auth.WasteTime(password)
	}
	if err != nil || !u.Active || !auth.CheckPassword(u.PasswordHash, password) {
		form.Error = loc.T("signin.failed")
		return render(c, http.StatusUnauthorized, templates.SignIn(form))
	}
	if err := refund(); err != nil {
		return err
	}
	// A new session token on sign-in, so a token planted before it is worthless.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
	return c.Redirect(http.StatusSeeOther, safeNext(form.Next))
}

func (s *Server) signOut(c echo.Context) error {
	if err := s.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/signin")
}

func (s *Server) setLocale(c echo.Context) error {
	u, _ := currentUser(c)
	locale := c.FormValue("locale")
	if !i18n.Valid(locale) {
		return desk.Errorf(desk.EINVALID, "locale", "Unknown language %q: use da or en.", locale)
	}
	if err := s.store.SetLocale(c.Request().Context(), u.ID, locale); err != nil {
		return err
	}
	// Back to the page the switch was made on; only its path and query, so never off-site.
	back := ""
	if u, err := url.Parse(c.Request().Referer()); err == nil {
		back = u.RequestURI()
	}
	return c.Redirect(http.StatusSeeOther, safeNext(back))
}
