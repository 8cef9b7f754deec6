package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"coachdesk/internal/app"
	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit"
)

// browserRequired reports whether a missing browser is a failure rather than a skip: on CI, or when asked.
func browserRequired() bool {
	return os.Getenv("CI") != "" || os.Getenv("COACHDESK_REQUIRE_BROWSER") == "1"
}

// findChromium looks for Debian's chromium first, then other common names on PATH.
func findChromium() (string, error) {
	if p := os.Getenv("COACHDESK_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("COACHDESK_CHROMIUM=%s: %w", p, err)
		}
		return path, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium: install it with 'apt-get install -y chromium' (or set COACHDESK_CHROMIUM to a Chrome binary)")
}

// startServer runs Coachdesk on 127.0.0.1 on a port the kernel picks, with a fresh database and the demo data.
func startServer(t *testing.T) (base string, st *store.Store, logins []demo.Login) {
	t.Helper()
	r := testkit.StartAfter(t, filepath.Join(t.TempDir(), "e2e.db"), func(a *app.App) (err error) {
		logins, err = demo.Seed(context.Background(), a.Store, 0)
		return err
	})
	return r.URL, r.App.Store, logins
}

// startServerBehind runs the real app as startServer does, but serves it through wrap: a test's own
// handler in front of the app's (its ServeHTTP), to hold or refuse chosen requests. The listener is
// the kernel's pick on 127.0.0.1 and is handed to the server as it is, so no port is freed and retaken.
func startServerBehind(t *testing.T, wrap func(http.Handler) http.Handler) (base string, st *store.Store, logins []demo.Login) {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DB: filepath.Join(t.TempDir(), "e2e.db")})
	if err != nil {
		t.Fatal(err)
	}
	if logins, err = demo.Seed(context.Background(), a.Store, 0); err != nil {
		a.Close()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	srv := &http.Server{Handler: wrap(a.Web), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		a.Desk.Close() // ends the pages' event streams, which never hang up on their own
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
		a.Close()
	})
	return "http://" + ln.Addr().String(), a.Store, logins
}

// holdGate holds the requests it matches while it is closed, until the test opens it again or the
// request is cancelled: the way to make the coach slow for as long as a test needs, and no longer.
type holdGate struct {
	match func(*http.Request) bool
	mu    sync.Mutex
	open  chan struct{} // closed while the gate is open; a fresh one while it holds
	held  atomic.Int64  // requests that have waited at the gate
}

func newHoldGate(match func(*http.Request) bool) *holdGate {
	g := &holdGate{match: match, open: make(chan struct{})}
	close(g.open)
	return g
}

// Hold makes matching requests wait from now on.
func (g *holdGate) Hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
		g.open = make(chan struct{})
	default:
	}
}

// Release lets every waiting and later request through.
func (g *holdGate) Release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

// Held is how many matching requests have waited at the gate so far.
func (g *holdGate) Held() int64 { return g.held.Load() }

func (g *holdGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.match(r) {
			g.mu.Lock()
			open := g.open
			g.mu.Unlock()
			select {
			case <-open:
			default:
				g.held.Add(1)
				select {
				case <-open:
				case <-r.Context().Done():
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// isLint matches the composer's calls to the coach.
func isLint(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/api/v1/lint" }

// newBrowser starts a headless Chromium with a fresh profile and returns a tab's context.
func newBrowser(t *testing.T, execPath string) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "coachdesk-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
		// Chromium's helpers can still be writing in the profile for a moment; removal is best effort.
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	// The first Run starts the browser; it must not run under a timeout, or the timeout ends the browser.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`1 + 1`)); err != nil {
		t.Fatalf("start Chromium (%s): %v", execPath, err)
	}
	return ctx
}

// stepBound is how long one step may take before the test gives up on it. It is no timing assertion:
// every step waits on a condition of the page, and the bound only ends a test that would hang; it is
// generous because two full suites on two cores can slow a browser by an order of magnitude.
const stepBound = 90 * time.Second

// step runs one browser action with a bound, and ends the test with what it was doing if it fails.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepBound)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
		audit, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#audit")].map(a => a.innerText).join("\n---\n") || "(no #audit)"`))
		signals, _ := chromedp.Run(ctx, chromedp.Evaluate[string](pageSignals))
		t.Fatalf("%s: %v\nat %s, the page reads:\n%s\n…\nand the audit trail:\n%s\nthe page's signals: %s", what, err, loc, text, audit, signals)
	}
}

// waitFor polls a JavaScript condition until it holds (the condition, not a clock, decides). A page
// load in between ends a poll with an error ("target navigated", "context destroyed"); then it polls
// again on the new page, until the step's deadline.
func waitFor(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			_, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(stepBound))(ctx, t)
			switch {
			case err == nil:
				return nil
			case ctx.Err() != nil:
				return fmt.Errorf("waiting for %s: %w (last: %v)", js, ctx.Err(), err)
			case errors.Is(err, chromedp.ErrPollingTimeout):
				return fmt.Errorf("waiting for %s: %w", js, err)
			}
			// The page changed under the poll; wait for the next document to exist, then poll again.
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w (last: %v)", js, ctx.Err(), err)
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

// settled holds once the page has loaded and htmx has finished every request and swap. htmx attaches
// its listeners to swapped-in content only when it settles, so an action on new content waits for this.
const settled = `document.readyState === "complete" && window.htmx !== undefined &&
	document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added") === null`

// needChromium finds the browser, or skips the test where a browser is optional.
func needChromium(t *testing.T) string {
	t.Helper()
	execPath, err := findChromium()
	if err != nil {
		if browserRequired() {
			t.Fatalf("the browser test must run here (CI or COACHDESK_REQUIRE_BROWSER=1 is set): %v", err)
		}
		t.Skipf("skipping the browser test: %v", err)
	}
	return execPath
}

// Selectors of the composer that more than one test drives.
const (
	bodyField = `#composer textarea[name=body]`
	// The footer's button: the send gate's "send anyway" is a submit button too, and comes first.
	sendButton = `#composer .composer-foot button[type=submit]`
)

// agentLogins are the demo logins with the agent role, in the demo's order.
func agentLogins(t *testing.T, logins []demo.Login) []demo.Login {
	t.Helper()
	var out []demo.Login
	for _, l := range logins {
		if l.Role == desk.RoleAgent {
			out = append(out, l)
		}
	}
	if len(out) < 2 {
		t.Fatalf("the demo data has %d agents, these tests need two", len(out))
	}
	return out
}

// userOf is the stored user behind a login (its id keys drafts, its name shows to colleagues).
func userOf(t *testing.T, st *store.Store, l demo.Login) desk.User {
	t.Helper()
	u, err := st.UserByEmail(context.Background(), l.Email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// replyableTicket is a Danish ticket, new or open, whose last message is the customer's: one to answer.
func replyableTicket(t *testing.T, st *store.Store) desk.Ticket {
	t.Helper()
	ctx := context.Background()
	found, err := st.ListTickets(ctx, desk.Filter{View: desk.ViewAll, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range found.Tickets {
		if (tk.Status != desk.StatusNew && tk.Status != desk.StatusOpen) || tk.Language != "da" {
			continue
		}
		thread, err := st.Thread(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(thread); n > 0 && !thread[n-1].FromAgent && thread[n-1].Kind == desk.KindReply {
			return tk
		}
	}
	t.Fatal("the demo data has no new or open Danish ticket waiting for an answer to the customer")
	return desk.Ticket{}
}

// firstName is what a reply greets a customer with, and how an agent signs it.
func firstName(fullName string) string {
	first, _, _ := strings.Cut(fullName, " ")
	return first
}

// threadOf is the ticket's messages as stored.
func threadOf(t *testing.T, st *store.Store, tk desk.Ticket) []desk.Message {
	t.Helper()
	thread, err := st.Thread(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	return thread
}

// coachProbe runs in every page before the app's scripts: it notes what the coach painted last, and
// when the agent last pressed a key in a coached field, so tests wait on the coach and time it in-page.
const coachProbe = `(() => {
	const probe = window.__e2e = { linted: null, lastKey: 0 };
	// The coach paints an answer only for the text on screen, so the value now is the text it coached.
	document.addEventListener("coach:linted", (e) => {
		const area = e.target.querySelector("textarea");
		probe.linted = { seq: e.detail.seq, at: Number(e.target.getAttribute("data-linted-at")), text: area ? area.value : null };
	});
	// Capturing on window: the key is timed before any of the page's own handlers run.
	window.addEventListener("keydown", (e) => {
		if (e.target.matches && e.target.matches("[data-coach] textarea")) probe.lastKey = performance.now();
	}, true);
})()`

// watchCoach installs coachProbe in the browser's tab for every page it loads from now on.
func watchCoach(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: coachProbe}); err != nil {
		t.Fatal(err)
	}
}

// coachFresh holds once the coach has painted its answer for exactly the text in the composer.
const coachFresh = `(() => {
	const ed = document.querySelector("#composer .coach-editor[data-coach]");
	const area = ed && ed.querySelector("textarea[name=body]");
	const seen = window.__e2e && window.__e2e.linted;
	return !!area && !!seen && seen.text === area.value && ed.getAttribute("data-lint-state") === "idle";
})()`

// hasFinding holds while the coach's panel lists a finding of the rule.
func hasFinding(rule string) string {
	return fmt.Sprintf(`document.querySelector(%q) !== null`, `#composer .coach-panel li.coach-finding[data-rule="`+rule+`"]`)
}

// bodyFocused holds while the caret is in the composer's text.
const bodyFocused = `document.activeElement === document.querySelector("` + bodyField + `")`

// bodyIs holds while the composer's text is exactly s.
func bodyIs(s string) string {
	return fmt.Sprintf(`(document.querySelector(%q) || {}).value === %q`, bodyField, s)
}

// threadShows holds once a message in the thread reads s (line ends as the browser renders them).
func threadShows(s string) string {
	return fmt.Sprintf(`[...document.querySelectorAll("#thread .message-body")].some(m => m.textContent.replace(/\r\n/g, "\n").includes(%q))`, s)
}

// typeAtEnd types s with real key events after whatever the composer holds.
func typeAtEnd(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const a = document.querySelector(%q);
			a.focus();
			a.setSelectionRange(a.value.length, a.value.length);
		})()`, bodyField)),
		chromedp.SendKeys(chromedp.CSS(bodyField), s),
	)
}

// typeOver selects everything in the composer and types s over it, as an agent starting again does.
func typeOver(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const a = document.querySelector(%q);
			a.focus();
			a.select();
		})()`, bodyField)),
		chromedp.SendKeys(chromedp.CSS(bodyField), s),
	)
}

// signIn signs the login in through the form and lands in the inbox.
func signIn(t *testing.T, ctx context.Context, base string, l demo.Login) {
	t.Helper()
	step(t, ctx, "sign in as "+l.Email,
		chromedp.Navigate(base+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), l.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), l.Password+kb.Enter),
		waitFor(`location.pathname === "/inbox" && `+settled),
	)
}

// openTicket loads the ticket page and waits until htmx and the composer are ready to be used.
func openTicket(t *testing.T, ctx context.Context, base string, number int64) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("open ticket %d", number),
		chromedp.Navigate(fmt.Sprintf("%s/tickets/%d", base, number)),
		waitFor(fmt.Sprintf(`location.pathname === "/tickets/%d" && document.querySelector(%q) !== null && `, number, bodyField)+settled),
	)
}

// coachView is what the composer shows: the text, its mirror behind it, and each finding with its marks.
type coachView struct {
	Lang   string `json:"lang"` // the language the composer coaches in
	Value  string `json:"value"`
	Mirror string `json:"mirror"`
	// Where the mirror lies against the textarea: any difference in box, type or scroll moves marks off their words.
	Misfit   []string `json:"misfit"`
	Findings []struct {
		Rule     string   `json:"rule"`
		Severity string   `json:"severity"`
		Quote    string   `json:"quote"`
		Marked   *string  `json:"marked"` // the text from the finding's first mark to its last; nil without marks
		Marks    []string `json:"marks"`
		Applies  int      `json:"applies"` // one-click rewrites offered
	} `json:"findings"`
}

// readCoach takes the composer's coach apart: mark offsets come from walking the mirror's text.
func readCoach(t *testing.T, ctx context.Context) coachView {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[coachView](`(() => {
		const ed = document.querySelector("#composer .coach-editor[data-coach]");
		const area = ed.querySelector("textarea[name=body]"), mirror = ed.querySelector(".coach-backdrop");
		const marks = [];
		let pos = 0;
		const walk = (node) => {
			for (const c of node.childNodes) {
				if (c.nodeType === Node.TEXT_NODE) { pos += c.data.length; continue; }
				if (!c.matches("mark.coach-mark")) { walk(c); continue; }
				marks.push({ key: c.dataset.key, start: pos, end: pos + c.textContent.length, text: c.textContent });
				pos += c.textContent.length;
			}
		};
		walk(mirror);
		const misfit = [];
		const ra = area.getBoundingClientRect(), rm = mirror.getBoundingClientRect();
		for (const k of ["left", "top", "width", "height"]) {
			if (Math.abs(ra[k] - rm[k]) > 0.5) misfit.push(k + ": textarea " + ra[k] + ", mirror " + rm[k]);
		}
		const ca = getComputedStyle(area), cm = getComputedStyle(mirror);
		for (const k of ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing", "paddingLeft", "paddingTop", "borderLeftWidth", "borderTopWidth", "whiteSpace"]) {
			if (ca[k] !== cm[k]) misfit.push(k + ": textarea " + ca[k] + ", mirror " + cm[k]);
		}
		if (area.scrollTop !== mirror.scrollTop) misfit.push("scrollTop: textarea " + area.scrollTop + ", mirror " + mirror.scrollTop);
		return {
			lang: (document.querySelector("#composer select[name=lang]") || ed).value || ed.dataset.lang,
			value: area.value,
			mirror: mirror.textContent.replace(/\u200b$/, ""),
			misfit,
			findings: [...ed.querySelectorAll(".coach-panel li.coach-finding")].map((li) => {
				const own = marks.filter((m) => m.key === li.dataset.key);
				return {
					rule: li.dataset.rule, severity: li.dataset.severity,
					quote: (li.querySelector(".coach-quote") || {}).textContent || "",
					marked: own.length ? area.value.slice(own[0].start, own[own.length - 1].end) : null,
					marks: own.map((m) => m.text),
					applies: li.querySelectorAll("button.coach-apply").length,
				};
			}),
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// storedDraft polls the store until the agent's draft on the ticket reads body (a condition, with a deadline).
func storedDraft(t *testing.T, st *store.Store, tk desk.Ticket, user desk.User, body string) desk.Draft {
	t.Helper()
	deadline := time.Now().Add(stepBound)
	for {
		d, err := st.Draft(context.Background(), tk.ID, user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Body == body {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stored draft on ticket %d reads %q (rev %d), want %q", tk.Number, d.Body, d.Rev, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ---------- the page's own signals ----------
//
// The pages mark what they are doing: the coach's editor its lint (data-lint-state pending|idle|error,
// data-lint-seq, data-lint-chars), the composer a press of Send (data-send-state idle|waiting|sending|
// stopped|failed|refused), and <html> the event stream (data-live connecting|open|closed) and each new
// thread (data-thread-swaps). Tests wait on these, never on a clock.

// pageSignals is every signal at once, for a failing step's report.
const pageSignals = `JSON.stringify((() => {
	const ed = document.querySelector("#composer .coach-editor[data-coach]"), form = document.getElementById("composer");
	const area = ed && ed.querySelector("textarea");
	return {
		lint: ed ? ed.dataset.lintState + " seq " + ed.dataset.lintSeq + " chars " + ed.dataset.lintChars + " of " + (area ? area.value.length : "-") : "(no editor)",
		send: form ? form.dataset.sendState : "(no composer)",
		notice: (document.querySelector("#composer .send-notice:not([hidden])") || {}).textContent || "",
		live: document.documentElement.dataset.live || "",
		threadSwaps: document.documentElement.dataset.threadSwaps || "0",
		htmxBusy: document.querySelectorAll(".htmx-request").length,
	};
})())`

// coachAnswered holds once the coach has answered for the text in the composer as it is now.
const coachAnswered = `(() => {
	const ed = document.querySelector("#composer .coach-editor[data-coach]");
	const area = ed && ed.querySelector("textarea[name=body]");
	return !!area && ed.dataset.lintState === "idle" && ed.dataset.lintSeq !== "0" && Number(ed.dataset.lintChars) === area.value.length;
})()`

// liveOpen holds while the ticket page hears the ticket's events.
const liveOpen = `document.documentElement.dataset.live === "open"`

// sendStateIs holds while the composer's last press is in the state.
func sendStateIs(state string) string {
	return fmt.Sprintf(`(document.getElementById("composer") || {dataset: {}}).dataset.sendState === %q`, state)
}

// threadSwaps is how many times the page has put in a new thread so far.
func threadSwaps(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Number(document.documentElement.dataset.threadSwaps || 0)`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// threadSwappedSince holds once the page has put in a new thread after the n-th.
func threadSwappedSince(n int) string {
	return fmt.Sprintf(`Number(document.documentElement.dataset.threadSwaps || 0) > %d`, n)
}

// pressSend clicks the composer's Send button once the page is still (the coach has answered and htmx
// is done, so nothing moves the button under the pointer), and waits until the page has taken the
// press: the composer counted it (data-presses), or a new composer replaced it.
func pressSend(t *testing.T, ctx context.Context) {
	t.Helper()
	pressSendWith(t, ctx, sendButton, coachAnswered+" && "+settled)
}

// pressSendWith is pressSend for any submit button of the composer, after the page meets ready.
func pressSendWith(t *testing.T, ctx context.Context, button, ready string) {
	t.Helper()
	step(t, ctx, "press "+button,
		waitFor(ready),
		chromedp.Evaluate[chromedp.Void](`(() => {
			const form = document.getElementById("composer");
			form.__e2ePressesBefore = Number(form.dataset.presses || 0);
		})()`),
		chromedp.Click(chromedp.CSS(button)),
		waitFor(`(() => {
			const form = document.getElementById("composer");
			return !form || form.__e2ePressesBefore === undefined || Number(form.dataset.presses || 0) > form.__e2ePressesBefore;
		})()`),
	)
}
