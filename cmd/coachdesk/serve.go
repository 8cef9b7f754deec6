package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"coachdesk/internal/app"
	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/web"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := flags("serve", stderr)
	addr := fs.String("addr", env("COACHDESK_ADDR", "localhost:8080"), "address to listen on (env COACHDESK_ADDR)")
	level := fs.String("log-level", env("COACHDESK_LOG_LEVEL", "info"), "debug, info, warn or error (env COACHDESK_LOG_LEVEL)")
	withDemo := fs.Bool("demo", false, "fill an empty database with demo users and tickets, and print the logins")
	secure := fs.Bool("secure-cookies", env("COACHDESK_SECURE_COOKIES", "") != "", "mark cookies Secure (behind HTTPS)")
	proxies := fs.String("trusted-proxies", env("COACHDESK_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For to believe (env COACHDESK_TRUSTED_PROXIES)")
	syncMode := fs.String("sync", env("COACHDESK_SYNC", "full"), "full: a saved write survives a power cut; normal: it survives a crash, a power cut may lose the last writes (env COACHDESK_SYNC)")
	smtpAddr := fs.String("smtp-addr", env("COACHDESK_SMTP_ADDR", ""), "also take mail for the mailboxes' addresses over SMTP here, e.g. :2525 (env COACHDESK_SMTP_ADDR)")
	smtpCert := fs.String("smtp-tls-cert", env("COACHDESK_SMTP_TLS_CERT", ""), "PEM certificate the SMTP listener offers with STARTTLS (env COACHDESK_SMTP_TLS_CERT)")
	smtpKey := fs.String("smtp-tls-key", env("COACHDESK_SMTP_TLS_KEY", ""), "its PEM private key (env COACHDESK_SMTP_TLS_KEY)")
	metricsAddr := fs.String("metrics-addr", env("COACHDESK_METRICS_ADDR", ""), "serve Prometheus /metrics on this separate, private address, e.g. 127.0.0.1:9090 (env COACHDESK_METRICS_ADDR)")
	// No environment default shown here: -h prints defaults, and the token is a secret.
	metricsToken := fs.String("metrics-token", "", "also answer /metrics on --addr, to \"Authorization: Bearer <token>\" only (env COACHDESK_METRICS_TOKEN); with neither flag /metrics is 404")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *metricsToken == "" {
		*metricsToken = os.Getenv("COACHDESK_METRICS_TOKEN")
	}
	if err := setupLogging(*level, stderr); err != nil {
		return err
	}
	trusted, err := web.ParseTrustedProxies(*proxies)
	if err != nil {
		msg := err.Error()
		if e, ok := desk.AsError(err); ok {
			msg = e.Message
		}
		return usageError{"--trusted-proxies: " + msg}
	}
	syncSetting, err := store.ParseSync(*syncMode)
	if err != nil {
		return usageError{"--sync: " + err.Error()}
	}
	smtpTLS, err := listenerTLS(*smtpCert, *smtpKey)
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, app.Config{DB: *db, SecureCookies: *secure, TrustedProxies: trusted, Store: store.Options{Sync: syncSetting},
		SecretKey: os.Getenv("COACHDESK_SECRET_KEY"), SMTPTLS: smtpTLS, MetricsToken: *metricsToken})
	if err != nil {
		return err
	}
	defer a.Close()
	if *withDemo {
		if err := seedDemo(ctx, a.Store, 0, stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *smtpAddr != "" {
		sl, err := net.Listen("tcp", *smtpAddr)
		if err != nil {
			return fmt.Errorf("--smtp-addr: %w", err)
		}
		go func() {
			if err := a.ServeSMTP(ctx, sl); err != nil {
				slog.Error("smtp listener stopped", "err", err)
			}
		}()
		fmt.Fprintf(stdout, "Taking mail over SMTP at %s\n", sl.Addr())
	}
	if *metricsAddr != "" {
		ml, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		go func() {
			if err := a.ServeMetrics(ctx, ml); err != nil {
				slog.Error("metrics listener stopped", "err", err)
			}
		}()
		fmt.Fprintf(stdout, "Metrics at http://%s/metrics\n", ml.Addr())
	}
	// Printed, not logged, so it shows at any log level; with --addr :0 it is how you learn the port.
	fmt.Fprintf(stdout, "Coachdesk is running at %s\n", displayURL(ln.Addr()))
	slog.Info("coachdesk listening", "addr", ln.Addr().String(), "db", store.Redact(*db))
	return a.Serve(ctx, ln)
}

// displayURL is the address to open in a browser: a server on every interface is reached as localhost.
func displayURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// seedDemo fills an empty database and prints the logins once; a database with users is left alone.
func seedDemo(ctx context.Context, st *store.Store, tickets int, stdout io.Writer) error {
	logins, err := demo.Seed(ctx, st, tickets)
	if err == demo.ErrNotEmpty {
		fmt.Fprintln(stdout, "Demo data is already in this database; its logins were printed when it was created. Delete the database file to start over.")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo logins (printed only now):")
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-6s %-24s password: %s\n", l.Role, l.Email, l.Password)
	}
	return nil
}

// listenerTLS loads the SMTP listener's certificate; both files or neither.
func listenerTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, usageError{"--smtp-tls-cert and --smtp-tls-key go together"}
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, usageError{"--smtp-tls-cert/--smtp-tls-key: " + err.Error()}
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
