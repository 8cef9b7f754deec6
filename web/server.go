// Package web is the HTTP face of Coachdesk: routes, middleware and handlers that read top to bottom.
package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/metrics"
	"coachdesk/internal/rules"
	"coachdesk/internal/store"
	"coachdesk/static"
)

type Config struct {
	SecureCookies  bool         // set behind HTTPS
	TrustedProxies []*net.IPNet // proxies whose X-Forwarded-For names the client
	// ReadTimeout bounds how long a client may take to send its whole request (default 30 s), so a
	// slow body cannot hold a connection; responses have no deadline (event streams last).
	ReadTimeout time.Duration
	Rules       *rules.Service // the coach's packs (nil: a service over the embedded packs, not loaded)
	Mail        *helpdesk.Mail // mailboxes, the outbox's retry and received mail (nil: no passwords can be saved)

	Metrics *metrics.Metrics // what /metrics shows (nil: nothing is measured)
	// MetricsToken lets /metrics answer on this address to "Authorization: Bearer <token>"; "" answers 404.
	MetricsToken string
}

type Server struct {
	echo        *echo.Echo
	desk        *helpdesk.Service // every write, lint and event goes through it
	store       *store.Store      // the desk's store, for the reads pages show
	sessions    *scs.SessionManager
	i18n        *i18n.Bundle
	limits      *limiter
	readTimeout time.Duration
	rules       *rules.Service
	mail        *helpdesk.Mail

	metrics      *metrics.Metrics
	metricsToken string // "" keeps /metrics off the main address
}

// New serves the helpdesk h over HTTP; closing h ends the open pages' event streams.
func New(h *helpdesk.Service, cfg Config) (*Server, error) {
	st := h.Store()
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	sessions := scs.New()
	sessions.Store = sessionStore{st}
	sessions.ErrorFunc = sessionError
	sessions.Lifetime = 7 * 24 * time.Hour
	sessions.IdleTimeout = 12 * time.Hour
	sessions.Cookie.Name = "coachdesk_session"
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = cfg.SecureCookies

	s := &Server{echo: echo.New(), store: st, sessions: sessions, i18n: bundle, limits: newLimiter(st), desk: h, readTimeout: cfg.ReadTimeout,
		metrics: cfg.Metrics, metricsToken: cfg.MetricsToken}
	if s.mail = cfg.Mail; s.mail == nil {
		s.mail = helpdesk.NewMail(h, nil, nil)
	}
	if s.rules = cfg.Rules; s.rules == nil {
		s.rules = rules.New(st, h)
	}
	if s.readTimeout <= 0 {
		s.readTimeout = 30 * time.Second
	}
	s.echo.HideBanner, s.echo.HidePort = true, true
	// The socket address, or X-Forwarded-For when it comes from a configured proxy (a client can forge it).
	s.echo.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.echo.HTTPErrorHandler = s.handleError
	s.routes(cfg)
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

func (s *Server) routes(cfg Config) {
	e := s.echo
	e.Use(s.observeRequests) // outermost: it sees the status of a recovered panic too
	e.Use(middleware.Recover())
	e.Use(requestLog())
	e.Use(limitBody)
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY", ReferrerPolicy: "same-origin",
		ContentSecurityPolicy: contentSecurityPolicy,
	}))
	e.Use(privateAnswers(cfg.SecureCookies))
	e.Use(retryAfterOn503)

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsOnMain)
	e.StaticFS("/static", static.FS)

	e.POST("/api/v1/lint", s.apiLint, s.tokenOrSession(cfg))
	e.GET("/api/v1/tickets/:number/draft", s.getDraft, s.tokenOrSession(cfg))
	e.PUT("/api/v1/tickets/:number/draft", s.saveDraft, s.tokenOrSession(cfg))
	api := e.Group("/api/v1", s.requireToken)
	s.apiRoutes(api)

	ui := e.Group("", echo.WrapMiddleware(s.loadAndSave), s.loadUser, s.csrf(cfg))
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
	ui.GET("/inbox/events", s.inboxEvents, agent)
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
	s.accountRoutes(ui, agent, admin)
	s.reviewRoutes(ui, api, agent, lead)
	s.rulesRoutes(ui, api, admin)
	s.mailRoutes(ui, agent, admin)
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

// Serve answers on ln until ctx ends, then ends the event streams (pages never hang up on their own)
// and drains requests for up to ten seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: s.readTimeout, IdleTimeout: 2 * time.Minute}
	cleanup, stopCleanup := context.WithCancel(ctx)
	defer stopCleanup()
	go sessionStore{s.store}.cleanSessions(cleanup, 30*time.Minute)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		s.desk.Close()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
