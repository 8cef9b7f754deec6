package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"coachdesk/internal/desk"
)

// box is an element's place in the window, and the window's size, in CSS pixels.
type box struct {
	Found  bool    `json:"found"`
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Text   string  `json:"text"`
	Below  float64 `json:"below"` // the lowest edge the sticky top bar covers
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

func (b box) inView() bool {
	return b.Found && b.Top >= b.Below && b.Bottom <= b.Height && b.Left >= 0 && b.Right <= b.Width && b.Bottom > b.Top
}

// boxOf measures the first element matching sel against the window.
func boxOf(t *testing.T, ctx context.Context, sel string) box {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.Evaluate[box](fmt.Sprintf(`(() => {
		const el = document.querySelector(%q), bar = document.querySelector(".topbar");
		const out = { found: false, width: document.documentElement.clientWidth, height: document.documentElement.clientHeight,
			below: bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0 };
		if (!el || el.closest("[hidden]")) return out;
		const r = el.getBoundingClientRect();
		return Object.assign(out, { found: true, top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: el.textContent.trim() });
	})()`, sel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shortcut presses a one-letter shortcut on the page as a key down and up without a character: the page
// takes the key on keydown, and a focus it moves there must not receive the letter.
func shortcut(key, code string, keyCode int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: key, Code: code, WindowsVirtualKeyCode: keyCode}); err != nil {
				return err
			}
		}
		return nil
	})
}

// shootWindow saves what the window shows, into $COACHDESK_SCREENSHOTS when set (else the test's own directory).
func shootWindow(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("COACHDESK_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	step(t, ctx, "paint before the screenshot",
		chromedp.Evaluate[chromedp.Void](`new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))`, chromedp.EvalAwaitPromise))
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, shot.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// The agent reaches the composer with "r" below a long conversation and types: at 1280×900 the coach's
// first finding is in the window beside the text; at 800×900, where the list is below the text, the
// line with the score and the counts is.
func TestCoachFindingsInViewWhileTyping(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	// A long conversation puts the composer below the first screen, as on a real ticket.
	for i := range 4 {
		if _, err := st.AddMessage(context.Background(), tk.Number, desk.NewMessage{Kind: desk.KindReply, CustomerID: tk.Customer.ID,
			Body: fmt.Sprintf("Opfølgning %d: pakken er stadig ikke kommet, og jeg har ventet i over en uge nu.\nJeg har kigget i postkassen hver dag, "+
				"spurgt naboerne og ringet til posthuset, men ingen ved noget.\nKan I ikke finde ud af, hvor den er?", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t, execPath)
	step(t, ctx, "size the window 1280×900", chromedp.EmulateViewport(1280, 900))
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)

	reply := "Men vi kan måske finde pakken. Har du tjekket postkassen? Du har tastet adressen forkert."
	step(t, ctx, "press r below the fold and type a reply with several findings",
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()`),
		shortcut("r", "KeyR", 82),
		waitFor(bodyFocused),
		chromedp.KeyEvent(reply),
		waitFor(bodyIs(reply)+" && "+coachAnswered+" && "+hasFinding("blame")+" && "+hasFinding("weak-word")),
	)
	shootWindow(t, ctx, "composer-1280x900.png")
	first := boxOf(t, ctx, "#composer .coach-panel li.coach-finding")
	if !first.inView() {
		t.Errorf("at 1280×900 with the caret in the reply, the first finding is at %+v: not inside the window", first)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](bodyFocused))
	if err != nil {
		t.Fatal(err)
	}
	if !focused {
		t.Error("the caret left the reply")
	}

	// Narrower, the list goes below the text: the summary line stays in the window at the bottom edge.
	for _, size := range [][2]int64{{800, 900}, {390, 844}} {
		name := fmt.Sprintf("%d×%d", size[0], size[1])
		step(t, ctx, "narrow the window to "+name+" and come back to the reply",
			chromedp.EmulateViewport(size[0], size[1]),
			chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); document.activeElement.blur()`),
			shortcut("r", "KeyR", 82),
			waitFor(bodyFocused),
			chromedp.KeyEvent(kb.End),
			waitFor(coachAnswered),
			// The agent has scrolled so that the text box sits at the bottom edge: the list is out of sight below it.
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).scrollIntoView({ block: "end" })`, bodyField)),
		)
		shootWindow(t, ctx, fmt.Sprintf("composer-%dx%d.png", size[0], size[1]))
		if summary := boxOf(t, ctx, "#composer .coach-summary"); !summary.inView() {
			t.Fatalf("at %s with the caret in the reply, the coach's summary line is at %+v: not inside the window", name, summary)
		}
	}
	summary := boxOf(t, ctx, "#composer .coach-summary")
	want := lintDa(reply)
	counts := map[string]int{}
	for _, f := range want.Findings {
		counts[string(f.Severity)]++
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(() => {
		const s = document.querySelector("#composer .coach-summary");
		return { error: s.dataset.errors, warning: s.dataset.warnings, suggestion: s.dataset.suggestions };
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, sev := range []string{"error", "warning", "suggestion"} {
		if got[sev] != fmt.Sprint(counts[sev]) {
			t.Errorf("the summary line counts %s %s findings, the coach has %d (line: %q)", got[sev], sev, counts[sev], summary.Text)
		}
	}
	if summary.Text == "" || !strings.Contains(summary.Text, fmt.Sprint(want.Score)) {
		t.Errorf("the summary line reads %q; want the score %d in it", summary.Text, want.Score)
	}
}
