package main

import (
	"fmt"
	"io"
)

// lintCmd is wired to the coach's CLI once internal/coach lands.
func lintCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "coachdesk lint: not built yet")
	return 2
}
