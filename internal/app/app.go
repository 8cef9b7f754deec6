// Package app wires Coachdesk together once: the store, the helpdesk over it and the web server,
// for the program and for every test and benchmark that runs the real thing.
package app

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/live"
	"coachdesk/internal/mail"
	"coachdesk/internal/metrics"
	"coachdesk/internal/rules"
	"coachdesk/internal/store"
	"coachdesk/web"
)

// Config is what the program's flags choose.
type Config struct {
	DB             string        // the SQLite file
	SecureCookies  bool          // behind HTTPS
	TrustedProxies []*net.IPNet  // proxies whose X-Forwarded-For names the client
	Store          store.Options // synchronous setting, busy timeout, writer queue bound
	ReadTimeout    time.Duration // how long a client may take to send a request (default 30 s)
	SecretKey      string        // seals mailbox passwords (COACHDESK_SECRET_KEY); "" refuses to store one
	Mail           helpdesk.MailOptions
	SMTPTLS        *tls.Config // the SMTP listener's certificate for STARTTLS (nil: plain SMTP)
	MetricsToken   string      // lets /metrics answer on the main address to this bearer token ("": 404 there)
}

// App is one running Coachdesk.
type App struct {
	Store *store.Store
	Desk  *helpdesk.Service
	Web   *web.Server
	Rules *rules.Service // the coach's packs: published versions, drafts, backtests

	Mail *helpdesk.Mail // the e-mail channel: mailboxes, received mail, the outbox

	Metrics *metrics.Metrics // what /metrics shows, on --metrics-addr (ServeMetrics) or behind the token

	stopWatch context.CancelFunc
	mail      helpdesk.MailOptions
	smtpTLS   *tls.Config
}

// Open opens (and migrates) the database and builds the helpdesk and the server over it.
func Open(ctx context.Context, cfg Config) (*App, error) {
	st, err := store.OpenWith(ctx, cfg.DB, cfg.Store)
	if err != nil {
		return nil, err
	}
	events, err := liveEvents(ctx, cfg.DB)
	if err != nil {
		st.Close()
		return nil, err
	}
	desk := helpdesk.New(st, events, coach.Default())
	// The newest published packs (the embedded ones where none is), and a poll for other instances' publishes.
	packs := rules.New(st, desk)
	if err := packs.Load(ctx); err != nil {
		st.Close()
		return nil, err
	}
	sealer, err := mail.NewSealer(cfg.SecretKey)
	if err != nil {
		st.Close()
		return nil, err
	}
	m := helpdesk.NewMail(desk, sealer, nil)
	// Its own registry, not the global one: tests run several apps in one process.
	mx := metrics.New()
	mx.WatchStore(st)
	srv, err := web.New(desk, web.Config{SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies, ReadTimeout: cfg.ReadTimeout, Rules: packs, Mail: m,
		Metrics: mx, MetricsToken: cfg.MetricsToken})
	if err != nil {
		st.Close()
		return nil, err
	}
	watch, stop := context.WithCancel(context.Background())
	go packs.Watch(watch, 2*time.Second)
	return &App{Store: st, Desk: desk, Web: srv, Rules: packs, stopWatch: stop, Mail: m, mail: cfg.Mail, smtpTLS: cfg.SMTPTLS, Metrics: mx}, nil
}

// Serve answers on ln until ctx ends, then drains; the caller owns ln's address (":0" in tests).
// Beside it the mail channel sends the outbox and polls the IMAP mailboxes.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	mailCtx, stopMail := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); a.Mail.Run(mailCtx, a.mail) }()
	defer func() { stopMail(); <-done }()
	return a.Web.Serve(ctx, ln)
}

// ServeSMTP takes mail for the mailboxes' addresses on ln (--smtp-addr) until ctx ends.
func (a *App) ServeSMTP(ctx context.Context, ln net.Listener) error {
	l := a.Mail.Listener()
	l.TLS = a.smtpTLS
	return l.Serve(ctx, ln)
}

// ServeMetrics answers /metrics (and only that) on ln, the private --metrics-addr, until ctx ends.
func (a *App) ServeMetrics(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		// A scrape takes milliseconds: no need to drain for long.
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		return nil
	}
}

// Close ends the open pages' event streams and closes the database.
func (a *App) Close() error {
	a.stopWatch()
	a.Desk.Close()
	return a.Store.Close()
}

// liveEvents carries pages' events: on SQLite one process sees every page, so the in-process hub;
// on PostgreSQL several instances may share the database, so NOTIFY between them.
func liveEvents(ctx context.Context, db string) (live.Service, error) {
	if !store.IsPostgres(db) {
		return live.NewHub(), nil
	}
	return live.NewPostgres(ctx, db)
}
