// Command genjsonl writes a large JSON Lines corpus for `coachdesk lint --jsonl` benchmarks by
// repeating and varying the labelled dev corpus (names, sentence order, case numbers), so no
// 50 MB file needs to be committed.
//
//	go run ./bench/coach/genjsonl -mb 50 > /tmp/replies.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"
)

func main() {
	mb := flag.Int("mb", 50, "approximate output size in MiB")
	corpus := flag.String("corpus", "internal/coach/testdata/dev-replies.jsonl", "labelled corpus to vary")
	seed := flag.Int64("seed", 1, "random seed (same seed, same output)")
	flag.Parse()

	texts, err := load(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genjsonl:", err)
		os.Exit(2)
	}
	rng := rand.New(rand.NewSource(*seed))
	names := []string{"Anna", "Jens", "Mette", "Lars", "Kari", "Per", "Maja", "Tom", "Sofie", "Ole", "Ingrid", "Elin"}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	written, limit := 0, *mb<<20
	for i := 0; written < limit; i++ {
		lines := strings.Split(texts[rng.Intn(len(texts))], "\n")
		if len(lines) > 3 {
			lines[0] = strings.Fields(lines[0])[0] + " " + names[rng.Intn(len(names))] + ","
			body := lines[1 : len(lines)-2]
			rng.Shuffle(len(body), func(a, b int) { body[a], body[b] = body[b], body[a] })
			lines[len(lines)-1] = names[rng.Intn(len(names))]
		}
		text := strings.Join(lines, "\n") + fmt.Sprintf("\nSag nr. %d.", 10000+rng.Intn(90000))
		rec := struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}{fmt.Sprintf("r%07d", i), text}
		if err := enc.Encode(rec); err != nil {
			fmt.Fprintln(os.Stderr, "genjsonl:", err)
			os.Exit(1)
		}
		written += len(text) + 24
	}
}

func load(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var it struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(sc.Bytes(), &it) == nil && it.Text != "" {
			out = append(out, it.Text)
		}
	}
	return out, sc.Err()
}
