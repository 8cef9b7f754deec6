package main

import (
	"io"

	"coachdesk/internal/coach/lintcli"
)

// lintCmd coaches replies from files or standard input; its exit code is lint's own (0, 1 or 2).
func lintCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return lintcli.Run(args, stdin, stdout, stderr)
}
