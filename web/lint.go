package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
)

// lintLimit caps the text one lint call coaches: the longest reply an agent can send.
const lintLimit = desk.MaxBody

// tokenOrSession lets the composer (session, with its CSRF token) and integrators (bearer token) share one endpoint.
func (s *Server) tokenOrSession(cfg Config) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		viaToken := s.requireToken(next)
		// Who you are before whether the token matches: an anonymous call is a 401, as on the rest of the API.
		viaSession := s.readSession(s.loadUser(s.requireRole(desk.RoleAgent)(s.csrf(cfg)(next))))
		return func(c echo.Context) error {
			if c.Request().Header.Get("Authorization") != "" {
				return viaToken(c)
			}
			return viaSession(c)
		}
	}
}

// readSession loads the session without saving it back. scs re-saves a session on every request
// under an idle timeout; for calls made while typing that would be a database write per pause.
// Page loads and sends still keep the session alive.
func (s *Server) readSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := ""
		if cookie, err := c.Cookie(s.sessions.Cookie.Name); err == nil {
			token = cookie.Value
		}
		ctx, err := s.sessions.Load(c.Request().Context(), token)
		if err != nil {
			return err
		}
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

type lintRequest struct {
	Text          string `json:"text"`
	Lang          string `json:"lang"`
	NoAcknowledge bool   `json:"no_acknowledge"`
	Locale        string `json:"locale"` // the language of the explanations; the caller's interface language by default
}

// apiLint coaches one text and answers the same object as `coachdesk lint --format json`.
func (s *Server) apiLint(c echo.Context) error {
	if err := s.typingBudget(c, "lint"); err != nil {
		return err
	}
	var in lintRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	switch {
	case !coach.ValidLang(in.Lang):
		return desk.Errorf(desk.EINVALID, "lang", "Unknown language %q: use da, nb, sv, en or auto.", in.Lang)
	case len(in.Text) > lintLimit:
		return desk.Errorf(desk.ETOOLARGE, "text", "The text is larger than %d KB.", lintLimit>>10)
	case in.Locale != "" && !i18n.Valid(in.Locale):
		return desk.Errorf(desk.EINVALID, "locale", "Unknown interface language %q: use da or en.", in.Locale)
	}
	if in.Locale == "" {
		u, _ := currentUser(c)
		in.Locale = u.Locale
	}
	start := time.Now()
	res := s.desk.Lint(in.Text, coach.Options{Lang: in.Lang, NoAcknowledge: in.NoAcknowledge, Locale: in.Locale})
	s.metrics.ObserveLint(res.Lang, time.Since(start))
	return c.JSON(http.StatusOK, res)
}

// typingBudget brakes a client that lints or saves drafts far faster than anyone types.
func (s *Server) typingBudget(c echo.Context, what string) error {
	u, _ := currentUser(c)
	if s.limits.AllowTyping(what+":"+strconv.FormatInt(u.ID, 10), typingPerUser) {
		return nil
	}
	return desk.Errorf(desk.ETOOMANY, "", "Too many requests; wait a moment and try again.")
}
