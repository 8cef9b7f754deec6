// Package lintcli is the front end of `coachdesk lint`: it reads replies from files, standard
// input or JSON Lines, runs the coach, and prints compiler-style text or one JSON object per input.
package lintcli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"coachdesk/internal/coach"
)

// Limits keep memory flat whatever the input: one reply file or one JSON Lines record at most.
const (
	MaxFileBytes = 16 << 20
	MaxLineBytes = 4 << 20
)

const usage = `usage: coachdesk lint [--lang da|nb|sv|en|auto] [--format text|json] [--jsonl] [--no-acknowledge] [--explain] [--locale da|en|nb|sv] [FILE…]

Coaches support replies. Reads each FILE (or standard input for - or no FILE) as one reply;
with --jsonl each line is {"id":…,"text":"…"} (an optional "lang" overrides --lang).
--explain prints under each finding the pack pattern and list entry that matched (JSON always
carries them as "match"); --locale gives the messages in that interface language (default: the
reply's language; rewrites stay in the reply's language).
Exit status: 0 no error-level finding, 1 at least one, 2 bad usage or unreadable input.
`

type config struct {
	lang          string
	format        string
	jsonl         bool
	noAcknowledge bool
	explain       bool
	locale        string
	files         []string
}

// parseArgs accepts flags before, between and after file names.
func parseArgs(args []string) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.lang, "lang", "auto", "reply language: da, nb, sv, en or auto")
	fs.StringVar(&cfg.format, "format", "text", "output format: text or json")
	fs.BoolVar(&cfg.jsonl, "jsonl", false, `input is JSON Lines: {"id":…,"text":"…"} per line`)
	fs.BoolVar(&cfg.noAcknowledge, "no-acknowledge", false, "the reply opens a conversation: skip the acknowledge rule")
	fs.BoolVar(&cfg.explain, "explain", false, "show the pattern and pack entry behind each finding")
	fs.StringVar(&cfg.locale, "locale", "", "language of the messages: da, en, nb or sv (default: the reply's)")
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		cfg.files = append(cfg.files, args[0])
		args = args[1:]
		if len(args) > 0 && args[0] == "--" {
			cfg.files = append(cfg.files, args[1:]...)
			break
		}
	}
	if !coach.ValidLang(cfg.lang) {
		return nil, fmt.Errorf("--lang %q: want da, nb, sv, en or auto", cfg.lang)
	}
	if cfg.locale != "" && (!coach.ValidLang(cfg.locale) || cfg.locale == "auto") {
		return nil, fmt.Errorf("--locale %q: want da, en, nb or sv", cfg.locale)
	}
	if cfg.format != "text" && cfg.format != "json" {
		return nil, fmt.Errorf("--format %q: want text or json", cfg.format)
	}
	if len(cfg.files) == 0 {
		cfg.files = []string{"-"}
	}
	return cfg, nil
}

// Run executes `coachdesk lint` with args (what follows "lint") and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return RunWith(coach.Default(), args, stdin, stdout, stderr)
}

// RunWith is Run with the coach c (the packs a database publishes, say) instead of the embedded one.
func RunWith(c *coach.Coach, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "coachdesk lint: %v\n%s", err, usage)
		return 2
	}
	r := &runner{cfg: cfg, c: c, out: bufio.NewWriterSize(stdout, 64<<10), stderr: stderr}
	r.enc = json.NewEncoder(r.out)
	r.enc.SetEscapeHTML(false)
	stdinUsed := false
	for _, name := range cfg.files {
		if name == "-" {
			if stdinUsed {
				r.fail("-: standard input can be read only once")
				continue
			}
			stdinUsed = true
			r.lint("<stdin>", stdin)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			r.fail(fmt.Sprintf("%s: cannot read: %v", name, unwrapPath(err)))
			continue
		}
		r.lint(name, f)
		f.Close()
	}
	if err := r.out.Flush(); err != nil {
		fmt.Fprintf(stderr, "coachdesk lint: write: %v\n", err)
		return 2
	}
	switch {
	case r.bad:
		return 2
	case r.errors:
		return 1
	}
	return 0
}

type runner struct {
	cfg    *config
	c      *coach.Coach
	out    *bufio.Writer
	enc    *json.Encoder
	stderr io.Writer
	bad    bool // unreadable input or invalid record: exit 2
	errors bool // an error-level finding: exit 1
}

func (r *runner) lint(name string, in io.Reader) {
	if r.cfg.jsonl {
		r.lintJSONL(name, in)
	} else {
		r.lintFile(name, in)
	}
}

func (r *runner) fail(msg string) {
	r.out.Flush() // keep stdout and stderr in order for a reader of both
	fmt.Fprintf(r.stderr, "coachdesk lint: %s\n", msg)
	r.bad = true
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (r *runner) lintFile(name string, in io.Reader) {
	data, err := io.ReadAll(io.LimitReader(in, MaxFileBytes+1))
	if err != nil {
		r.fail(fmt.Sprintf("%s: cannot read: %v", name, unwrapPath(err)))
		return
	}
	if len(data) > MaxFileBytes {
		r.fail(fmt.Sprintf("%s: larger than %d MiB; one reply per file (use --jsonl for batches)", name, MaxFileBytes>>20))
		return
	}
	r.emit(name, nil, string(data), r.cfg.lang)
}

type record struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
	Lang string          `json:"lang"`
}

func (r *runner) lintJSONL(name string, in io.Reader) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec record
		if err := json.Unmarshal(b, &rec); err != nil {
			r.fail(fmt.Sprintf("%s:%d: invalid JSON Lines record: %v", name, line, err))
			continue
		}
		if rec.Text == nil {
			r.fail(fmt.Sprintf("%s:%d: record has no \"text\" field", name, line))
			continue
		}
		lang := r.cfg.lang
		if rec.Lang != "" {
			if !coach.ValidLang(rec.Lang) {
				r.fail(fmt.Sprintf("%s:%d: \"lang\" %q: want da, nb, sv, en or auto", name, line, rec.Lang))
				continue
			}
			lang = rec.Lang
		}
		label := fmt.Sprintf("%s:%d", name, line)
		if id := idString(rec.ID); id != "" {
			label = id
		}
		r.emit(label, rec.ID, *rec.Text, lang)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			r.fail(fmt.Sprintf("%s:%d: line longer than %d MiB", name, line+1, MaxLineBytes>>20))
			return
		}
		r.fail(fmt.Sprintf("%s:%d: cannot read: %v", name, line+1, unwrapPath(err)))
	}
}

func idString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// output is the JSON object printed per input.
type output struct {
	ID          json.RawMessage `json:"id,omitempty"`
	File        string          `json:"file,omitempty"`
	Lang        string          `json:"lang"`
	Score       int             `json:"score"`
	Findings    []coach.Finding `json:"findings"`
	Positives   []coach.Signal  `json:"positives"`
	PackVersion string          `json:"pack_version,omitempty"`
}

func (r *runner) emit(label string, id json.RawMessage, text, lang string) {
	res := r.c.Lint(text, coach.Options{Lang: lang, NoAcknowledge: r.cfg.noAcknowledge, Locale: r.cfg.locale})
	for _, f := range res.Findings {
		if f.Severity == coach.SevError {
			r.errors = true
		}
	}
	if r.cfg.format == "json" {
		o := output{ID: id, Lang: res.Lang, Score: res.Score, Findings: res.Findings, Positives: res.Positives, PackVersion: res.PackVersion}
		if id == nil {
			o.File = label
		}
		if err := r.enc.Encode(o); err != nil {
			r.fail(fmt.Sprintf("%s: encode: %v", label, err))
		}
		return
	}
	pos := newPositioner(text)
	for _, f := range res.Findings {
		line, col := pos.at(f.Start)
		fmt.Fprintf(r.out, "%s:%d:%d: %s %s: %s\n", label, line, col, f.Severity, f.Rule, oneLine(f.Message))
		if r.cfg.explain && f.Match != nil {
			fmt.Fprintf(r.out, "\twhy: %q matched %s (%s)\n", f.Text, f.Match.Pattern, f.Match.Entry)
		}
		for _, s := range f.Suggestions {
			if s.Replace != nil {
				if *s.Replace == "" {
					fmt.Fprintf(r.out, "\t→ %s (remove %q)\n", oneLine(s.Label), f.Text)
				} else {
					fmt.Fprintf(r.out, "\t→ %s (%q → %q)\n", oneLine(s.Label), f.Text, *s.Replace)
				}
				continue
			}
			fmt.Fprintf(r.out, "\t→ %s\n", oneLine(s.Label))
		}
	}
	fmt.Fprintf(r.out, "%s: %s, score %d, %d finding(s)\n", label, res.Lang, res.Score, len(res.Findings))
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// positioner turns byte offsets into 1-based line and column (in characters) in one forward pass.
type positioner struct {
	text      string
	off       int
	line, col int
}

func newPositioner(text string) *positioner { return &positioner{text: text, line: 1, col: 1} }

func (p *positioner) at(off int) (int, int) {
	if off < p.off { // findings come sorted, but stay correct if they do not
		p.off, p.line, p.col = 0, 1, 1
	}
	for p.off < off && p.off < len(p.text) {
		r, w := utf8.DecodeRuneInString(p.text[p.off:])
		p.off += w
		if r == '\n' {
			p.line++
			p.col = 1
		} else {
			p.col++
		}
	}
	return p.line, p.col
}
