package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	fs, db := flags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	// Open applies every pending migration.
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	return st.Close()
}

func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "passwd" {
		return userPasswd(ctx, args[1:], stdin, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		return usagef("user: use 'coachdesk user add --email … --name … --role …'")
	}
	fs, db := flags("user add", stderr)
	email := fs.String("email", "", "e-mail to sign in with")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "agent", "agent, lead or admin")
	password := fs.String("password", "", "password (generated and printed when empty)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return usagef("user add: --email and --name are required")
	}
	pw := *password
	if pw == "" {
		token, err := auth.NewToken()
		if err != nil {
			return err
		}
		pw = token[len(auth.TokenPrefix) : len(auth.TokenPrefix)+16]
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, desk.User{Name: *name, Email: *email, Role: desk.Role(*role), PasswordHash: hash})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s %s (%s)\n", u.Role, u.Email, u.Name)
	if *password == "" {
		fmt.Fprintf(stdout, "Password: %s\n", pw)
	}
	return nil
}

func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "list" {
		return tokenList(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "revoke" {
		return tokenRevoke(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		return usagef("token: use 'coachdesk token create --email … --name …', 'token list' or 'token revoke ID'")
	}
	fs, db := flags("token create", stderr)
	email := fs.String("email", "", "the user the token acts as")
	name := fs.String("name", "", "what the token is for, shown in lists and the audit trail")
	expires := fs.Duration("expires", 0, "how long the token works (e.g. 720h); 0 for no end")
	integration := fs.Bool("integration", false, "the token may post messages as the customer (an e-mail gateway)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return usagef("token create: --email is required")
	}
	var until time.Time
	if *expires > 0 {
		until = time.Now().Add(*expires)
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	token, _, err := st.IssueToken(ctx, *email, *name, *integration, until)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := flags("demo", stderr)
	tickets := fs.Int("tickets", 0, "also generate this many extra tickets (for benchmarks at scale)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *tickets < 0 {
		return usagef("demo: --tickets must be 0 or more")
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return seedDemo(ctx, st, *tickets, stdout)
}
