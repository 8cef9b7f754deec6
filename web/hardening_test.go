package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"coachdesk/internal/coach"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/live"
	"coachdesk/internal/testkit"
	"coachdesk/web"
)

// chunked wraps a reader so net/http cannot know its length and sends it chunked.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

func TestChunkedBodyOverTheCapIsRefusedWhole(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	tk := e.Ticket("Faktura", "Hvor er min faktura?")

	// A form posted chunked, its fields before padding past the cap: nothing of it may run.
	form := url.Values{"_csrf": {c.CSRF()}, "kind": {"note"}, "body": {"Intern note"}, "pad": {strings.Repeat("x", 300<<10)}}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/tickets/"+itoa(tk.Number)+"/messages", chunked{strings.NewReader(form.Encode())})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.Do(req); r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked form over 256 KB: status %d, want 413", r.Status)
	}
	if th, _ := e.Store.Thread(t.Context(), tk.ID); len(th) != 1 {
		t.Fatalf("an over-size chunked form was run: thread has %d messages", len(th))
	}

	// A chunked 1 MB sign-out with the right header token does not sign out.
	req, _ = http.NewRequest(http.MethodPost, e.URL+"/signout", chunked{strings.NewReader(strings.Repeat("y", 1<<20))})
	req.Header.Set("X-CSRF-Token", c.CSRF())
	if r := c.Do(req); r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked 1 MB sign-out: status %d, want 413", r.Status)
	}
	if r := c.Get("/inbox"); r.Status != http.StatusOK {
		t.Fatalf("inbox after a refused sign-out: %d, want still signed in", r.Status)
	}
	// Under the cap, chunked works as before.
	form = url.Values{"_csrf": {c.CSRF()}, "kind": {"note"}, "body": {"Intern note sendt i bidder"}}
	req, _ = http.NewRequest(http.MethodPost, e.URL+"/tickets/"+itoa(tk.Number)+"/messages", chunked{strings.NewReader(form.Encode())})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.Do(req); r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Fatalf("small chunked form: status %d", r.Status)
	}
	if th, _ := e.Store.Thread(t.Context(), tk.ID); len(th) != 2 {
		t.Fatalf("a small chunked form was not stored: %d messages", len(th))
	}
}

func TestAPIContentTypeIsMatchedExactly(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	body := `{"subject": "Retur", "customer": {"name": "Jens", "email": "jens@example.dk"}, "body": "Hej"}`
	for ct, want := range map[string]int{"application/jsonfoo": 400, "application/json-patch": 400, "application/json; charset=utf-8": 201, "APPLICATION/JSON": 201} {
		req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/tickets", strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+api.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Content-Type %q: status %d, want %d", ct, resp.StatusCode, want)
		}
	}
}

func TestJSONErrorsNeverNameGoTypes(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	for body, field := range map[string]string{`[]`: "", `"text"`: "", `{"subject": ["a"]}`: "subject", `{"tags": "a,b"}`: "tags", `{"customer": "jens"}`: "customer"} {
		r := api.Do(http.MethodPost, "/api/v1/tickets", body)
		msg := r.Err(t).Error.Message
		if r.Status != http.StatusBadRequest || r.Err(t).Error.Field != field {
			t.Errorf("%s: status %d field %q, want 400 naming %q", body, r.Status, r.Err(t).Error.Field, field)
		}
		for _, goWord := range []string{"struct", "[]string", "web.", "apiCustomer", "int64", "main."} {
			if strings.Contains(msg, goWord) {
				t.Errorf("%s: message %q names a Go type (%s)", body, msg, goWord)
			}
		}
	}
}

func TestSavedReplyPathMustBeANumber(t *testing.T) {
	e := testkit.New(t)
	lead := e.SignIn("lead@coachdesk.test")
	if r := lead.Post("/saved-replies/abc", url.Values{"title": {"Tak"}, "body": {"Tak for din besked."}}); r.Status != http.StatusNotFound {
		t.Fatalf("POST /saved-replies/abc: %d, want 404", r.Status)
	}
	if replies, _ := e.Store.SavedReplies(t.Context()); len(replies) != 0 {
		t.Fatalf("a saved reply was created under a path that is no id: %+v", replies)
	}
	if r := lead.Post("/saved-replies/abc/delete", nil); r.Status != http.StatusNotFound {
		t.Fatalf("POST /saved-replies/abc/delete: %d, want 404", r.Status)
	}
}

func TestSupportLimitHoldsForParallelPosts(t *testing.T) {
	e := testkit.New(t)
	c := e.Client()
	c.Get("/support")
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := c.FormRequest("/support", url.Values{"name": {"Lone"}, "email": {"lone@example.dk"}, "subject": {"Bestilling " + itoa(int64(i))},
				"message": {"Hvornår kommer min bestilling?"}}, true)
			if err == nil {
				_, err = c.TryDo(req)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := ticketCount(t, e); n > 5 {
		t.Fatalf("40 parallel support posts from one address made %d tickets, limit 5", n)
	}
}

func TestCachingAndSecurityHeaders(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	r := c.Get("/inbox")
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("inbox Cache-Control %q, want no-store", got)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent without --secure-cookies (plain HTTP)")
	}
	if r := e.API("anna@coachdesk.test").Do(http.MethodGet, "/api/v1/tickets", nil); r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("API Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
	}
	if r := c.Get("/static/app.css"); r.Status != http.StatusOK || r.Header.Get("Cache-Control") == "no-store" {
		t.Errorf("static file: status %d, Cache-Control %q; it should stay cacheable", r.Status, r.Header.Get("Cache-Control"))
	}

	// Behind HTTPS (--secure-cookies) browsers are told to stay on it.
	st, _ := testkit.OpenStore(t)
	srv, err := web.New(helpdesk.New(st, live.Discard, coach.Default()), web.Config{SecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/signin", nil))
	if !strings.HasPrefix(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("with secure cookies, Strict-Transport-Security %q", rec.Header().Get("Strict-Transport-Security"))
	}
}

func TestClientAddressBehindAProxy(t *testing.T) {
	proxies, err := web.ParseTrustedProxies("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		trusted    bool
		remote     string
		forwarded  string
		wantClient string
	}{
		{false, "198.51.100.9:5000", "203.0.113.1", "198.51.100.9"}, // no proxy configured: the header is forged
		{true, "10.1.2.3:5000", "203.0.113.1", "203.0.113.1"},       // from a trusted proxy
		{true, "192.0.2.7:5000", "203.0.113.1", "203.0.113.1"},      // a single trusted address
		{true, "198.51.100.9:5000", "203.0.113.1", "198.51.100.9"},  // a stranger claiming to be a proxy
		{true, "127.0.0.1:5000", "203.0.113.1", "127.0.0.1"},        // loopback is not trusted unless listed
		{true, "10.1.2.3:5000", "203.0.113.1, 10.9.9.9", "203.0.113.1"},
	}
	for _, tc := range cases {
		var nets = proxies
		if !tc.trusted {
			nets = nil
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = tc.remote
		req.Header.Set("X-Forwarded-For", tc.forwarded)
		if got := web.ClientIP(nets, req); got != tc.wantClient {
			t.Errorf("trusted=%v from %s forwarding %q: client %s, want %s", tc.trusted, tc.remote, tc.forwarded, got, tc.wantClient)
		}
	}
	if _, err := web.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("an impossible range was accepted")
	}
}

func TestSavedReplyWithAnErrorIsRefusedAndKept(t *testing.T) {
	e := testkit.New(t)
	lead := e.SignIn("lead@coachdesk.test")
	blaming := "Du har selv valgt den forkerte størrelse, så byttet må du betale."
	r := lead.Post("/saved-replies", url.Values{"title": {"Bytte"}, "body": {blaming}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("saved reply with a blame finding: status %d, want 422", r.Status)
	}
	mustContain(t, "refused saved reply", r.Body, "The coach stops this text", "Bytte", "Du har selv valgt den forkerte størrelse")
	if replies, _ := e.Store.SavedReplies(t.Context()); len(replies) != 0 {
		t.Fatalf("a saved reply with an error-level finding was published: %+v", replies)
	}
	if r := lead.Post("/saved-replies", url.Values{"title": {"Bytte"}, "body": {"Vi bytter gerne varen. Send den retur med labelen i pakken, så sender vi den nye størrelse samme dag."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("a clean saved reply: status %d, want 303", r.Status)
	}
}

func TestRemoteImagesWaitForTheAgent(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	r := api.Do(http.MethodPost, "/api/v1/tickets", map[string]any{"subject": "Skade", "html": true,
		"customer": map[string]string{"name": "Ida", "email": "ida@example.dk"},
		"body":     `<p>Her er et billede af skaden.</p><img src="https://pixel.example/read.gif?who=ida" alt="spor">`})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var tk struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &tk)
	page := e.SignIn("anna@coachdesk.test").Get("/tickets/" + itoa(tk.ID)).Body
	if strings.Contains(page, ` src="https://pixel.example`) {
		t.Fatal("the ticket page loads the customer's remote image on opening")
	}
	mustContain(t, "held-back image", page, `data-remote-src="https://pixel.example/read.gif?who=ida"`, "data-load-images", "Load images")
}

func TestPackVersionIsForReviewersInWords(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Levering", "Hvor bliver min pakke af? Jeg er ret irriteret.")
	r := e.API("anna@coachdesk.test").Do(http.MethodPost, "/api/v1/tickets/"+itoa(tk.Number)+"/messages",
		map[string]any{"body": "Hej Jens. Jeg kan godt forstå, at du er irriteret. Pakken er sendt i dag og er hos dig i morgen.", "lang": "da"})
	if r.Status != http.StatusCreated {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}
	path := "/tickets/" + itoa(tk.Number)
	if page := e.SignIn("anna@coachdesk.test").Get(path).Body; strings.Contains(page, "stored-pack") {
		t.Error("an agent is shown the rule pack's version under the reply")
	}
	mustContain(t, "lead's view of the reply", e.SignIn("lead@coachdesk.test").Get(path).Body, "stored-pack", "Danish rules, version ")
}
