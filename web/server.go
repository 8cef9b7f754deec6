// Package web is the HTTP face of Coachdesk: routes, middleware and handlers that read top to bottom.
package web

import (
	"context"
	"net/http"
	"time"

	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/live"
	"coachdesk/internal/store"
	"coachdesk/static"
)

// maxRequestBody caps every request; message bodies have their own, smaller limit in desk.
const maxRequestBody = "256K"

type Config struct {
	SecureCookies bool // set behind HTTPS
}

type Server struct {
	echo     *echo.Echo
	store    *store.Store
	sessions *scs.SessionManager
	i18n     *i18n.Bundle
	limits   *limiter
	coach    *coach.Coach
	live     live.Service // ticket events for open pages; in-process until there are several instances
}

func New(st *store.Store, cfg Config) (*Server, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	sessions := scs.New()
	sessions.Store = sqlite3store.NewWithCleanupInterval(st.SessionDB(), 30*time.Minute)
	sessions.Lifetime = 7 * 24 * time.Hour
	sessions.IdleTimeout = 12 * time.Hour
	sessions.Cookie.Name = "coachdesk_session"
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = cfg.SecureCookies

	s := &Server{echo: echo.New(), store: st, sessions: sessions, i18n: bundle, limits: newLimiter(), coach: coach.Default(), live: live.NewHub()}
	s.echo.HideBanner, s.echo.HidePort = true, true
	// Trust only the socket address: X-Forwarded-For is for the client to forge unless a proxy is configured.
	s.echo.IPExtractor = echo.ExtractIPDirect()
	s.echo.HTTPErrorHandler = s.handleError
	s.routes(cfg)
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Close ends every open event stream, so a shutdown does not wait on pages that never hang up.
func (s *Server) Close() {
	if c, ok := s.live.(interface{ Close() }); ok {
		c.Close()
	}
}

func (s *Server) routes(cfg Config) {
	e := s.echo
	e.Use(middleware.Recover())
	e.Use(requestLog())
	e.Use(middleware.BodyLimit(maxRequestBody))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY", ReferrerPolicy: "same-origin",
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'",
	}))

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.StaticFS("/static", static.FS)

	e.POST("/api/v1/lint", s.apiLint, s.tokenOrSession(cfg))
	e.GET("/api/v1/tickets/:number/draft", s.getDraft, s.tokenOrSession(cfg))
	e.PUT("/api/v1/tickets/:number/draft", s.saveDraft, s.tokenOrSession(cfg))
	api := e.Group("/api/v1", s.requireToken)
	s.apiRoutes(api)

	ui := e.Group("", echo.WrapMiddleware(s.sessions.LoadAndSave), s.loadUser, s.csrf(cfg))
	ui.GET("/signin", s.signInForm)
	ui.POST("/signin", s.signIn)
	ui.POST("/signout", s.signOut)
	ui.GET("/support", s.supportForm)
	ui.POST("/support", s.submitSupport)

	// Roles go on each route, not on groups: a group with middleware catches every unknown path
	// under its prefix, so a lead-only group at "" answered 403 instead of 404 to agents everywhere.
	agent, lead, admin := s.requireRole(desk.RoleAgent), s.requireRole(desk.RoleLead), s.requireRole(desk.RoleAdmin)
	ui.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/inbox") }, agent)
	ui.GET("/inbox", s.inbox, agent)
	ui.GET("/tickets/new", s.newTicketForm, agent)
	ui.POST("/tickets", s.createTicket, agent)
	ui.GET("/customers/suggest", s.suggestCustomers, agent)
	ui.GET("/tickets/:number", s.ticketPage, agent)
	ui.POST("/tickets/:number/messages", s.postMessage, agent)
	ui.GET("/tickets/:number/thread", s.thread, agent)
	ui.GET("/tickets/:number/events", s.ticketEvents, agent)
	ui.POST("/tickets/:number/properties", s.updateProperties, agent)
	ui.GET("/saved-replies", s.savedReplies, agent)
	ui.POST("/settings/locale", s.setLocale, agent)

	ui.POST("/saved-replies", s.saveSavedReply, lead)
	ui.POST("/saved-replies/:id", s.saveSavedReply, lead)
	ui.POST("/saved-replies/:id/delete", s.deleteSavedReply, lead)

	ui.GET("/admin/users", s.users, admin)
	ui.POST("/admin/users", s.addUser, admin)
	ui.POST("/admin/users/:id", s.updateUser, admin)
}

func (s *Server) csrf(cfg Config) echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     "coachdesk_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   cfg.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler:   func(error, echo.Context) error { return errCSRF },
	})
}

// Start serves on addr until ctx ends, then drains requests for up to ten seconds.
func (s *Server) Start(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		s.Close()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
