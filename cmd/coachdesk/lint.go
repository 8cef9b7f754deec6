package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"coachdesk/internal/coach/lintcli"
	"coachdesk/internal/rules"
	"coachdesk/internal/store"
)

// lintCmd coaches replies from files or standard input; its exit code is lint's own (0, 1 or 2).
// With --db it uses the packs published in that database, as the server does.
func lintCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	db, rest, err := dbFlag(args)
	if err != nil {
		fmt.Fprintf(stderr, "coachdesk lint: %v\n", err)
		return 2
	}
	if db == "" {
		return lintcli.Run(rest, stdin, stdout, stderr)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		fmt.Fprintf(stderr, "coachdesk lint: %v\n", err)
		return 2
	}
	defer st.Close()
	c, err := rules.CoachFrom(ctx, st)
	if err != nil {
		fmt.Fprintf(stderr, "coachdesk lint: %v\n", err)
		return 2
	}
	return lintcli.RunWith(c, rest, stdin, stdout, stderr)
}

// dbFlag takes --db PATH (or --db=PATH) out of lint's arguments, wherever it stands before a "--".
func dbFlag(args []string) (db string, rest []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return db, append(rest, args[i:]...), nil
		case a == "--db" || a == "-db":
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("--db needs a database file")
			}
			db, i = args[i+1], i+1
		case strings.HasPrefix(a, "--db=") || strings.HasPrefix(a, "-db="):
			_, db, _ = strings.Cut(a, "=")
		default:
			rest = append(rest, a)
		}
	}
	return db, rest, nil
}
