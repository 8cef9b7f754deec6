package web_test

import (
	"net/http"
	"strings"
	"testing"

	"coachdesk/internal/testkit"
)

func TestHealthStaticAndHeaders(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	if r := c.Get("/healthz"); r.Status != http.StatusOK || r.Body != "ok" {
		t.Fatalf("/healthz: %d %q", r.Status, r.Body)
	}
	for path, ctype := range map[string]string{"/static/app.css": "text/css", "/static/app.js": "javascript", "/static/htmx-2.0.8.min.js": "javascript"} {
		r := c.Get(path)
		if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: status %d, content type %q", path, r.Status, r.Header.Get("Content-Type"))
		}
	}
	if r := c.Get("/static/nope.js"); r.Status != http.StatusNotFound {
		t.Errorf("/static/nope.js: %d, want 404", r.Status)
	}
	r := c.Get("/signin")
	for header, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Content-Type":            "text/html; charset=UTF-8",
	} {
		if got := r.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", header, got, want)
		}
	}
	// Cookies a script cannot read.
	if len(r.Header.Values("Set-Cookie")) == 0 {
		t.Error("the sign-in page sets no CSRF cookie")
	}
	for _, ck := range r.Header.Values("Set-Cookie") {
		if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
			t.Errorf("cookie without HttpOnly and SameSite=Lax: %s", ck)
		}
	}
	// An unknown page is a 404 page for visitors and agents alike, never a 403 or a sign-in redirect.
	if r := c.Get("/nope"); r.Status != http.StatusNotFound {
		t.Errorf("anonymous /nope: %d, want 404", r.Status)
	}
	agent := e.SignIn("anna@coachdesk.test")
	for _, path := range []string{"/nope", "/admin/nope", "/saved-replies/1/nope"} {
		if r := agent.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("agent %s: %d, want 404", path, r.Status)
		}
	}
}
