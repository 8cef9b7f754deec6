// Command coachdesk is the helpdesk that coaches every reply: one binary for the server and its tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `coachdesk — the helpdesk that coaches every reply

Usage:
  coachdesk serve [--addr localhost:8080] [--smtp-addr :2525 [--smtp-tls-cert F --smtp-tls-key F]] [--db coachdesk.db] [--demo] [--log-level info] [--trusted-proxies CIDR,…]
                  [--metrics-addr 127.0.0.1:9090] [--metrics-token T]
  coachdesk migrate [--db …]
  coachdesk user passwd --email … [--db …]   (reads the new password from the terminal or stdin)
  coachdesk user add --email … --name … --role agent|lead|admin [--password …] [--db …]
  coachdesk token create --email … --name … [--expires 720h] [--integration] [--db …]
  coachdesk token list [--email …] [--db …]
  coachdesk token revoke ID [--db …]
  coachdesk mailbox add --address … [--imap-host … --imap-user … --imap-password-stdin] [--smtp-host … --smtp-user … --smtp-password-stdin] [--db …]
  coachdesk mailbox set ID …  |  mailbox list  |  mailbox remove ID
  coachdesk demo [--tickets N] [--db …]
  coachdesk copy --from sqlite:coachdesk.db --to postgres://…   (or back; the target must hold no data)
  coachdesk lint [--lang da|nb|sv|en|auto] [--format text|json] [--jsonl] [--no-acknowledge] [--db …] [FILE…]

Every flag falls back to an environment variable: COACHDESK_ADDR, COACHDESK_DB, COACHDESK_LOG_LEVEL,
COACHDESK_METRICS_ADDR, COACHDESK_METRICS_TOKEN, …
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit code: 0 ok, 1 failure, 2 bad usage.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = serve(ctx, rest, stdout, stderr)
	case "migrate":
		err = migrate(ctx, rest, stderr)
	case "user":
		err = userCmd(ctx, rest, stdin, stdout, stderr)
	case "token":
		err = tokenCmd(ctx, rest, stdout, stderr)
	case "mailbox":
		err = mailboxCmd(ctx, rest, stdin, stdout, stderr)
	case "demo":
		err = demoCmd(ctx, rest, stdout, stderr)
	case "copy":
		err = copyCmd(ctx, rest, stdout, stderr)
	case "lint":
		return lintCmd(rest, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "coachdesk: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "coachdesk: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "coachdesk: %v\n", err)
	return 1
}

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// flags makes a subcommand's flag set, with the database flag every database command shares.
func flags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("coachdesk "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", env("COACHDESK_DB", "coachdesk.db"), "SQLite file path, or a postgres:// URL (env COACHDESK_DB)")
	return fs, db
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func setupLogging(level string, stderr io.Writer) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return usagef("--log-level: %q is not debug, info, warn or error", level)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: l})))
	return nil
}
