package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"coachdesk/internal/testkit"
)

type lintResult struct {
	Lang     string `json:"lang"`
	Score    int    `json:"score"`
	Findings []struct {
		Rule  string `json:"rule"`
		Start int    `json:"start"`
		End   int    `json:"end"`
		Text  string `json:"text"`
	} `json:"findings"`
}

func (r lintResult) rules() map[string]bool {
	m := map[string]bool{}
	for _, f := range r.Findings {
		m[f.Rule] = true
	}
	return m
}

const poorReply = "Hej Jens.\nMen du må kontakte GLS. Har du tjekket din postkasse? Du kan måske prøve at ringe til dem.\nMvh Mikkel"

func TestLintWithToken(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	r := api.Do(http.MethodPost, "/api/v1/lint", map[string]any{"text": poorReply, "lang": "da"})
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var res lintResult
	r.JSON(t, &res)
	rules := res.rules()
	for _, want := range []string{"no-but", "redirect", "closed-question", "weak-word"} {
		if !rules[want] {
			t.Errorf("rule %s did not fire: %s", want, r.Body)
		}
	}
	for _, f := range res.Findings {
		if f.Start < 0 || f.End > len(poorReply) || poorReply[f.Start:f.End] != f.Text {
			t.Errorf("finding %s has span %d..%d that does not hold %q", f.Rule, f.Start, f.End, f.Text)
		}
	}
	if res.Lang != "da" || res.Score >= 100 {
		t.Errorf("lang %q score %d", res.Lang, res.Score)
	}
}

func TestLintWithSessionNeedsCSRF(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	c.Get("/inbox")
	body, _ := json.Marshal(map[string]string{"text": poorReply, "lang": "auto"})
	send := func(csrf string) *testkit.Response {
		req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/lint", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		return c.Do(req)
	}
	if r := send(""); r.Status == http.StatusOK {
		t.Fatalf("a session call without the CSRF token was answered: %d", r.Status)
	}
	r := send(c.CSRF())
	if r.Status != http.StatusOK {
		t.Fatalf("with session and CSRF: status %d: %s", r.Status, r.Body)
	}
	var res lintResult
	r.JSON(t, &res)
	if res.Lang != "da" || !res.rules()["no-but"] {
		t.Errorf("auto-detected lint = %s", r.Body)
	}
	anon := e.Client()
	if r := anon.PostNoCSRF("/api/v1/lint", url.Values{"text": {"x"}}); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous lint: status %d, want 401", r.Status)
	}
}

func TestLintBadInput(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"malformed JSON", `{"text": "Hej`, http.StatusBadRequest, ""},
		{"unknown field", `{"text": "Hej", "language": "da"}`, http.StatusBadRequest, "language"},
		{"unknown language", map[string]any{"text": "Hej", "lang": "de"}, http.StatusUnprocessableEntity, "lang"},
		{"text over the limit", map[string]any{"text": strings.Repeat("ord ", 20_000)}, http.StatusRequestEntityTooLarge, "text"},
		{"body over the request limit", map[string]any{"text": strings.Repeat("x", 300<<10)}, http.StatusRequestEntityTooLarge, ""},
	}
	for _, c := range cases {
		r := api.Do(http.MethodPost, "/api/v1/lint", c.body)
		if r.Status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, r.Status, c.status, r.Body)
			continue
		}
		if got := r.Err(t); c.field != "" && got.Error.Field != c.field {
			t.Errorf("%s: field %q, want %q", c.name, got.Error.Field, c.field)
		}
	}
}

// Typing lints several times a second; those calls must not re-save the session each time.
func TestLintDoesNotWriteTheSession(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	c.Get("/inbox")
	expiry := func() string {
		var s string
		if err := e.Store.SessionDB().QueryRow(`SELECT string_agg(CAST(expiry AS text), ',') FROM sessions`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := expiry()
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/lint", strings.NewReader(`{"text": "Men måske."}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	for range 5 {
		if r := c.Do(req.Clone(req.Context())); r.Status != http.StatusOK {
			t.Fatalf("lint: %d %s", r.Status, r.Body)
		}
		req.Body = io.NopCloser(strings.NewReader(`{"text": "Men måske."}`))
	}
	if after := expiry(); after != before {
		t.Errorf("lint calls re-saved the session: expiry %s → %s", before, after)
	}
	// A page view moves an idle expiry that has fallen a minute behind (TestSessionWrittenOnlyWhenChanged).
	if _, err := e.Store.SessionDB().Exec(`UPDATE sessions SET expiry = expiry - 2.0/1440`); err != nil {
		t.Fatal(err)
	}
	moved := expiry()
	c.Get("/inbox")
	if expiry() == moved {
		t.Errorf("a page view no longer keeps the session alive; the check above proves nothing")
	}
}

// The explanations follow the caller's interface language unless the request names one.
func TestLintExplainsInTheCallersLanguage(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	var da, en struct {
		Findings []struct {
			Rule    string `json:"rule"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	text := "Hej\nVi prøver at sende pakken igen i morgen.\nMvh Anna"
	api.Do(http.MethodPost, "/api/v1/lint", map[string]any{"text": text, "lang": "da", "locale": "da"}).JSON(t, &da)
	api.Do(http.MethodPost, "/api/v1/lint", map[string]any{"text": text, "lang": "da"}).JSON(t, &en) // testkit users read English
	if len(da.Findings) == 0 || len(da.Findings) != len(en.Findings) || da.Findings[0].Message == en.Findings[0].Message {
		t.Fatalf("Danish %+v\nEnglish %+v", da.Findings, en.Findings)
	}
	if r := api.Do(http.MethodPost, "/api/v1/lint", map[string]any{"text": text, "locale": "fr"}); r.Status != http.StatusUnprocessableEntity || r.Err(t).Error.Field != "locale" {
		t.Fatalf("an unknown locale: %d %s", r.Status, r.Body)
	}
}
