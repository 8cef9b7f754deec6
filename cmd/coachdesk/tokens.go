package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"coachdesk/internal/store"
)

// tokenList prints every token (or one user's) without its secret.
func tokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := flags("token list", stderr)
	email := fs.String("email", "", "only this user's tokens")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var userID int64
	if *email != "" {
		u, err := st.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		userID = u.ID
	}
	tokens, err := st.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tOWNER\tCREATED\tLAST USED\tEXPIRES\tINTEGRATION")
	for _, t := range tokens {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%t\n", t.ID, t.Name, t.Owner, t.CreatedAt.Format(time.DateTime), when(t.LastUsedAt), when(t.ExpiresAt), t.Integration)
	}
	return w.Flush()
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateTime)
}

// tokenRevoke deletes a token by its listed id; it stops working at once.
func tokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("token revoke: give the token's ID first (see 'coachdesk token list')")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usagef("token revoke: %q is not a token ID", args[0])
	}
	fs, db := flags("token revoke", stderr)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeToken(ctx, id, 0); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Revoked token %d.\n", id)
	return nil
}
