// Package e2e drives the real server in a headless Chromium: what an agent does with the mouse and
// keyboard, with htmx and the app's JavaScript running as they do for people.
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
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/store"
	"coachdesk/web"
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

// startServer runs Coachdesk on 127.0.0.1 on a free port with a fresh database and the demo data.
func startServer(t *testing.T) (base string, st *store.Store, logins []demo.Login) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if logins, err = demo.Seed(ctx, st, 0); err != nil {
		t.Fatal(err)
	}
	handler, err := web.New(st, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), st, logins
}

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

// step runs one browser action with a bound, and ends the test with what it was doing if it fails.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 1500) : ""`))
		audit, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#audit")].map(a => a.innerText).join("\n---\n") || "(no #audit)"`))
		t.Fatalf("%s: %v\nat %s, the page reads:\n%s\n…\nand the audit trail:\n%s", what, err, loc, text, audit)
	}
}

// waitFor polls a JavaScript condition until it holds (the condition, not a clock, decides). A page
// load in between ends a poll with an error ("target navigated", "context destroyed"); then it polls
// again on the new page, until the step's deadline.
func waitFor(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			_, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(25*time.Second))(ctx, t)
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

func TestAgentWorksATicketInTheBrowser(t *testing.T) {
	execPath, err := findChromium()
	if err != nil {
		if browserRequired() {
			t.Fatalf("the browser test must run here (CI or COACHDESK_REQUIRE_BROWSER=1 is set): %v", err)
		}
		t.Skipf("skipping the browser test: %v", err)
	}
	base, st, logins := startServer(t)
	var agent demo.Login
	for _, l := range logins {
		if l.Role == desk.RoleAgent {
			agent = l
			break
		}
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	da := bundle.For("da") // demo users read Danish
	ctx := newBrowser(t, execPath)

	// Sign in.
	step(t, ctx, "sign in",
		chromedp.Navigate(base+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), agent.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), agent.Password+kb.Enter),
		waitFor(`location.pathname === "/inbox" && document.querySelector("#search") !== null && `+settled),
	)

	// The inbox lists the agent's tickets.
	step(t, ctx, "open the inbox",
		waitFor(`document.querySelectorAll("#ticket-list .ticket-row").length > 0`),
	)

	// Search from the top bar.
	step(t, ctx, "search",
		chromedp.Click(chromedp.ID("search")),
		chromedp.SendKeys(chromedp.ID("search"), "faktura"+kb.Enter),
		waitFor(`location.search.includes("q=faktura") && document.querySelectorAll("#ticket-list .ticket-row").length > 0 && `+settled),
	)
	// The page lists what the store finds for the same search (the demo data is free to change).
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ticket-list .ticket-row")].map(r => r.dataset.href)`))
	if err != nil {
		t.Fatal(err)
	}
	found, err := st.ListTickets(context.Background(), desk.Filter{View: desk.ViewAll, Query: "faktura"})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	var number int64
	for _, tk := range found.Tickets {
		want = append(want, fmt.Sprintf("/tickets/%d", tk.Number))
		if number == 0 && (tk.Status == desk.StatusNew || tk.Status == desk.StatusOpen) {
			number = tk.Number // one that can take a reply and a status change
		}
	}
	if len(want) == 0 || fmt.Sprint(links) != fmt.Sprint(want) {
		t.Fatalf("search for faktura lists %q, the store finds %q", links, want)
	}
	if number == 0 {
		t.Fatal("the demo data has no new or open ticket about faktura to work on")
	}

	// Open the ticket.
	step(t, ctx, "open the ticket",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ticket-list .ticket-row[data-href="/tickets/%d"] .ticket-subject`, number))),
		waitFor(fmt.Sprintf(`location.pathname === "/tickets/%d" && document.querySelector("#composer textarea[name=body]") !== null && `, number)+settled),
	)
	before, err := st.Ticket(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}

	// Reply through the composer.
	reply := "Hej, jeg har rettet fakturaen og sendt den igen i dag. Venlig hilsen Anna (e2e)"
	step(t, ctx, "post a reply",
		chromedp.Click(chromedp.CSS(`#composer textarea[name=body]`)),
		chromedp.SendKeys(chromedp.CSS(`#composer textarea[name=body]`), reply),
		chromedp.Click(chromedp.CSS(`#composer [type=submit]`)),
		waitFor(fmt.Sprintf(`[...document.querySelectorAll("#thread .message-body")].some(m => m.textContent.includes(%q)) && `+settled, reply)),
	)

	// Change the status in the sidebar; htmx posts on change, and the audit trail shows it.
	solved := da.T("status.solved")
	auditBefore, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("#audit").children.length`))
	if err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "change the status",
		chromedp.WaitVisible(chromedp.CSS(`#properties select[name=status]`)),
		chromedp.Evaluate[chromedp.Void](`(() => {
			const s = document.querySelector("#properties select[name=status]");
			s.value = "solved";
			s.dispatchEvent(new Event("change", {bubbles: true}));
		})()`),
		waitFor(fmt.Sprintf(`(() => {
			const items = document.querySelector("#audit").children;
			return items.length > %d && items[items.length - 1].textContent.includes(%q);
		})()`, auditBefore, solved)),
	)
	// htmx replaced the sidebar and the trail; it did not add copies beside them.
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`["#audit", "#properties", "#composer", "#thread"].map(s => document.querySelectorAll(s).length)`))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(counts) != "[1 1 1 1]" {
		t.Fatalf("#audit, #properties, #composer, #thread occur %v times on the page, want once each", counts)
	}
	selected, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#properties select[name=status]`)))
	if err != nil {
		t.Fatal(err)
	}
	if selected != "solved" {
		t.Fatalf("the sidebar shows status %q after the change, want solved", selected)
	}

	// The database agrees with what the page shows.
	after, err := st.Ticket(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != desk.StatusSolved || after.SolvedAt == nil {
		t.Fatalf("ticket %d after the browser session: status %s, solved at %v (before: %s)", number, after.Status, after.SolvedAt, before.Status)
	}
	thread, err := st.Thread(context.Background(), after.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := thread[len(thread)-1]; last.Body != reply || !last.FromAgent || last.AuthorName == "" {
		t.Fatalf("the last message is %+v, want the reply from the browser", last)
	}
}
