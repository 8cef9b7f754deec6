package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"coachdesk/internal/store"
)

// copyCmd moves a whole helpdesk into a new database: SQLite to PostgreSQL or back.
func copyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("coachdesk copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the helpdesk to copy: sqlite:FILE (or FILE) or a postgres:// URL")
	to := fs.String("to", "", "the new database to copy into (it must hold no data): sqlite:FILE or a postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	src, dst := dbArg(*from), dbArg(*to)
	switch {
	case src == "" || dst == "":
		return usagef("copy: use 'coachdesk copy --from sqlite:coachdesk.db --to postgres://…'")
	case src == dst:
		return usagef("copy: --from and --to name the same database")
	}
	source, err := store.Open(ctx, src)
	if err != nil {
		return err
	}
	defer source.Close()
	target, err := store.Open(ctx, dst)
	if err != nil {
		return err
	}
	defer target.Close()
	counts, err := source.CopyTo(ctx, target)
	if err != nil {
		return err
	}
	var rows int64
	for _, c := range counts {
		rows += c.Target
		fmt.Fprintf(stdout, "%-24s %d\n", c.Table, c.Target)
	}
	fmt.Fprintf(stdout, "Copied %d rows in %d tables from %s to %s; every table's count matches.\n",
		rows, len(counts), store.Redact(src), store.Redact(dst))
	return nil
}

// dbArg takes the sqlite: prefix off a SQLite file; a postgres:// URL stays as it is.
func dbArg(v string) string {
	return strings.TrimPrefix(strings.TrimSpace(v), "sqlite:")
}
