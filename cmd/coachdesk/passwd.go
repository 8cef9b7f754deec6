package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"coachdesk/internal/auth"
	"coachdesk/internal/store"
)

// userPasswd sets a user's password read from the terminal or standard input, never from the
// command line, where `ps` would show it; the user's sessions end.
func userPasswd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, db := flags("user passwd", stderr)
	email := fs.String("email", "", "the user whose password is set")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usagef("user passwd: --email is required")
	}
	restore := hideInput(stdin)
	if restore != nil {
		fmt.Fprint(stderr, "New password: ")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if restore != nil {
		restore()
		fmt.Fprintln(stderr)
	}
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return fmt.Errorf("user passwd: read the new password from standard input: %w", err)
	}
	hash, err := auth.HashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Password changed for %s; their sessions have ended.\n", u.Email)
	return nil
}
