package lintcli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const clean = "Hej Mette,\nHvor ærgerligt, at kjolen ikke passede. Jeg har oprettet en gratis returlabel til dig, som du finder vedhæftet som PDF. Print den, sæt den på pakken og aflever den i en pakkeshop. Så snart vi har modtaget kjolen, sender vi den næste størrelse af sted til dig.\nVenlig hilsen\nSofie"

const blaming = "Hej Tobias,\nPakken ligger i GLS' depot, fordi du har tastet adressen forkert ved bestillingen. Husnummeret mangler, så chaufføren kunne ikke finde frem. Du må selv kontakte GLS og give dem den rigtige adresse.\nMvh\nMikkel"

func TestTextFormatAndExitCodes(t *testing.T) {
	p := write(t, "reply.txt", blaming)
	code, out, _ := run(t, "", p)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (error-level blame)\n%s", code, out)
	}
	// compiler-style: file:line:col: severity rule: message, then an indented suggestion
	want := p + ":2:35: error blame: "
	if !strings.Contains(out, want) {
		t.Errorf("missing %q in\n%s", want, out)
	}
	if !strings.Contains(out, "\n\t→ ") {
		t.Errorf("no indented suggestion line in\n%s", out)
	}
	code, out, _ = run(t, clean, "--lang", "da", "-")
	if code != 0 {
		t.Errorf("clean reply: exit %d\n%s", code, out)
	}
}

func TestJSONFormatFlagsAfterFiles(t *testing.T) {
	p := write(t, "reply.txt", "Hej Jens.\nDin ordre er afsendt i dag.")
	code, out, errs := run(t, "", p, "--format", "json", "--no-acknowledge")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var o struct {
		File     string `json:"file"`
		Lang     string `json:"lang"`
		Score    int    `json:"score"`
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if o.File != p || o.Lang != "da" {
		t.Errorf("got %+v", o)
	}
	for _, f := range o.Findings {
		if f.Rule == "acknowledge" {
			t.Errorf("acknowledge fired with --no-acknowledge")
		}
	}
}

func TestJSONLStreamsAndKeepsIDs(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 50; i++ {
		b, _ := json.Marshal(map[string]any{"id": i, "text": clean})
		in.Write(b)
		in.WriteByte('\n')
	}
	in.WriteString(`{"id":"x","text":` + mustJSON(blaming) + "}\n")
	code, out, _ := run(t, in.String(), "--jsonl", "--format", "json")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	var last map[string]any
	for sc.Scan() {
		n++
		last = nil
		if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
			t.Fatal(err)
		}
	}
	if n != 51 || last["id"] != "x" {
		t.Errorf("got %d objects, last id %v", n, last["id"])
	}
}

func mustJSON(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestBadInput(t *testing.T) {
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"bad lang", "", []string{"--lang", "de"}, "--lang \"de\""},
		{"bad format", "", []string{"--format", "xml"}, "--format \"xml\""},
		{"unknown flag", "", []string{"--bogus"}, "flag provided but not defined"},
		{"missing file", "", []string{"/nonexistent/reply.txt"}, "/nonexistent/reply.txt: cannot read"},
		{"invalid jsonl", "{\"id\":1,\"text\":\"Hej\"}\n{not json}\n", []string{"--jsonl"}, "<stdin>:2: invalid JSON Lines record"},
		{"no text", "{\"id\":1}\n", []string{"--jsonl"}, "<stdin>:1: record has no \"text\" field"},
	}
	for _, tc := range cases {
		code, _, errs := run(t, tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tc.name, code, errs, tc.want)
		}
	}
}

func TestTooLongLine(t *testing.T) {
	long := `{"id":1,"text":"` + strings.Repeat("a ", MaxLineBytes) + `"}` + "\n"
	code, _, errs := run(t, long, "--jsonl")
	if code != 2 || !strings.Contains(errs, "<stdin>:1: line longer than") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := run(t, "", "-h")
	if code != 0 || !strings.Contains(out, "usage: coachdesk lint") {
		t.Errorf("exit %d, %q", code, out)
	}
}

// --explain names the pack pattern and entry under each finding; JSON always carries "match".
func TestExplainAndMatch(t *testing.T) {
	code, out, _ := run(t, blaming, "--explain", "--lang", "da")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	want := "\twhy: \"du har tastet adressen forkert\" matched @you @perf? @adv? @entry ~4 @wrong (rules.blame.patterns[0])\n"
	if !strings.Contains(out, want) {
		t.Errorf("--explain output lacks %q:\n%s", want, out)
	}
	_, plain, _ := run(t, blaming, "--lang", "da")
	if strings.Contains(plain, "why:") {
		t.Errorf("without --explain no why line:\n%s", plain)
	}
	_, js, _ := run(t, blaming, "--lang", "da", "--format", "json")
	var o struct {
		Findings []struct {
			Rule  string `json:"rule"`
			Match *struct {
				Pattern string `json:"pattern"`
				Entry   string `json:"entry"`
			} `json:"match"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(js), &o); err != nil {
		t.Fatal(err)
	}
	for _, f := range o.Findings {
		if f.Match == nil || f.Match.Pattern == "" || f.Match.Entry == "" {
			t.Errorf("%s: finding without match: %s", f.Rule, js)
		}
	}
}

// --locale en gives a Danish reply's messages in English; the rewrite stays Danish.
func TestLocale(t *testing.T) {
	_, out, _ := run(t, blaming, "--lang", "da", "--locale", "en")
	if !strings.Contains(out, "error blame: 'du har tastet adressen forkert' puts the fault on the customer") {
		t.Errorf("want the blame message in English:\n%s", out)
	}
	if code, _, errs := run(t, blaming, "--locale", "fr"); code != 2 || !strings.Contains(errs, "--locale") {
		t.Errorf("--locale fr: exit %d, %q", code, errs)
	}
}
