package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"coachdesk/internal/demo"
	"coachdesk/internal/store"
	"coachdesk/web"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := flags("serve", stderr)
	addr := fs.String("addr", env("COACHDESK_ADDR", "localhost:8080"), "address to listen on (env COACHDESK_ADDR)")
	level := fs.String("log-level", env("COACHDESK_LOG_LEVEL", "info"), "debug, info, warn or error (env COACHDESK_LOG_LEVEL)")
	withDemo := fs.Bool("demo", false, "fill an empty database with demo users and tickets, and print the logins")
	secure := fs.Bool("secure-cookies", env("COACHDESK_SECURE_COOKIES", "") != "", "mark cookies Secure (behind HTTPS)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := setupLogging(*level, stderr); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *withDemo {
		if err := seedDemo(ctx, st, 0, stdout); err != nil {
			return err
		}
	}
	srv, err := web.New(st, web.Config{SecureCookies: *secure})
	if err != nil {
		return err
	}
	slog.Info("coachdesk listening", "url", "http://"+displayAddr(*addr), "db", *db)
	return srv.Start(ctx, *addr)
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "localhost" + addr
	}
	return addr
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
