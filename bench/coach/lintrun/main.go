// Command lintrun is `coachdesk lint` without the rest of the binary, for benchmarking the CLI
// path (JSON Lines in, JSON out) on its own.
//
//	go build -o /tmp/lintrun ./bench/coach/lintrun && /tmp/lintrun --jsonl --format json /tmp/replies.jsonl > /dev/null
package main

import (
	"os"

	"coachdesk/internal/coach/lintcli"
)

func main() { os.Exit(lintcli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
