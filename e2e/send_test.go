package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
)

// frontDoor stands in front of the real app for the send tests: it holds the coach's calls while told
// to, refuses sends with a 503 while told to, and counts the sends that reached it.
type frontDoor struct {
	lint     *holdGate
	failSend atomic.Bool
	sends    atomic.Int64
}

func isSend(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/tickets/") && strings.HasSuffix(r.URL.Path, "/messages")
}

func (d *frontDoor) wrap(next http.Handler) http.Handler {
	held := d.lint.wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isSend(r) {
			d.sends.Add(1)
			if d.failSend.Load() {
				http.Error(w, "the test refuses this send", http.StatusServiceUnavailable)
				return
			}
		}
		held.ServeHTTP(w, r)
	})
}

// danish is the demo agents' catalogue: what the page must say, word for word.
func danish(t *testing.T) *i18n.Localizer {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return bundle.For("da")
}

// noticeSays holds while the composer's notice beside Send reads text.
func noticeSays(text string) string {
	return fmt.Sprintf(`(() => { const n = document.querySelector("#composer .send-notice"); return !!n && !n.hidden && n.textContent === %q; })()`, text)
}

// bodyErrorSays holds while the message beside the composer's text reads text and the text is marked invalid.
func bodyErrorSays(text string) string {
	return fmt.Sprintf(`(() => {
		const e = document.querySelector("#composer #err-body"), a = document.querySelector(%q);
		return !!e && e.textContent === %q && a.getAttribute("aria-invalid") === "true";
	})()`, bodyField, text)
}

// A press of Send while the coach is still reading waits for it, says so, and then goes out once.
func TestSendPressedWhileTheCoachIsSlowGoesOut(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	base, st, logins := startServerBehind(t, door.wrap)
	da := danish(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	before := len(threadOf(t, st, tk))
	reply := fmt.Sprintf("Hej %s\nDet er ærgerligt, at pakken ikke er kommet. Jeg har sendt en ny pakke i dag, så du har den i morgen.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	noErrors(t, reply)

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "the page hears the ticket's events", waitFor(liveOpen))

	door.lint.Hold()
	step(t, ctx, "type a reply while the coach does not answer",
		typeAtEnd(reply),
		waitFor(bodyIs(reply)+` && document.querySelector("#composer .coach-editor").dataset.lintState === "pending"`),
	)
	pressSendWith(t, ctx, sendButton, settled)
	step(t, ctx, "the press waits for the coach and says so",
		waitFor(sendStateIs("waiting")+" && "+noticeSays(da.T("composer.send_waiting"))),
	)
	shootWindow(t, ctx, "composer-send-waiting.png")
	if door.lint.Held() == 0 {
		t.Fatal("no lint call waited at the gate: the test did not make the coach slow")
	}
	swaps := threadSwaps(t, ctx)
	door.lint.Release()
	step(t, ctx, "the reply goes out once the coach answers",
		waitFor(threadSwappedSince(swaps)+" && "+threadShows(reply)+" && "+bodyIs("")+" && "+settled),
	)
	thread := threadOf(t, st, tk)
	if len(thread) != before+1 || thread[len(thread)-1].Body != reply {
		t.Fatalf("after one press the ticket has %d messages (had %d), the last %q; want the reply once", len(thread), before, thread[len(thread)-1].Body)
	}
	if n := door.sends.Load(); n != 1 {
		t.Errorf("the page sent the reply %d times, want once", n)
	}
}

// A coach that never answers does not keep the reply: after a bounded wait the server's own gate decides.
func TestSendGoesOutWhenTheCoachNeverAnswers(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	base, st, logins := startServerBehind(t, door.wrap)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	reply := fmt.Sprintf("Hej %s\nDet er ærgerligt, at fakturaen var forkert. Jeg har rettet den og sendt den til dig i dag.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	noErrors(t, reply)

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	door.lint.Hold()
	t.Cleanup(door.lint.Release)
	step(t, ctx, "type a reply while the coach does not answer", typeAtEnd(reply), waitFor(bodyIs(reply)))
	pressSendWith(t, ctx, sendButton, settled)
	step(t, ctx, "the reply goes out without the coach's answer",
		waitFor(threadShows(reply)+" && "+bodyIs("")+" && "+settled),
	)
	if thread := threadOf(t, st, tk); thread[len(thread)-1].Body != reply || thread[len(thread)-1].Coaching == nil {
		t.Fatalf("the last message is %+v; want the reply, coached by the server", thread[len(thread)-1])
	}
}

// A send the server does not take says why beside the Send button, keeps the text, and the next press goes out.
func TestFailedSendSaysWhyAndKeepsTheText(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	base, st, logins := startServerBehind(t, door.wrap)
	da := danish(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	reply := fmt.Sprintf("Hej %s\nDet er ærgerligt, at ordren er forsinket. Jeg har rykket lageret, og den bliver sendt i dag.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	noErrors(t, reply)

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "type a reply", typeAtEnd(reply), waitFor(bodyIs(reply)+" && "+coachAnswered))
	door.failSend.Store(true)
	pressSend(t, ctx)
	step(t, ctx, "the composer says the reply was not sent, and keeps it",
		waitFor(sendStateIs("failed")+" && "+noticeSays(da.T("composer.send_unavailable"))+" && "+bodyIs(reply)+" && "+settled),
	)
	shootWindow(t, ctx, "composer-send-failed.png")
	if alert, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#composer .send-notice").getAttribute("role")`)); err != nil || alert != "alert" {
		t.Errorf("the notice's role is %q (%v), want alert: the agent must hear it", alert, err)
	}
	if thread := threadOf(t, st, tk); thread[len(thread)-1].Body == reply {
		t.Fatal("the refused send was stored")
	}
	door.failSend.Store(false)
	pressSend(t, ctx)
	step(t, ctx, "the next press goes out", waitFor(threadShows(reply)+" && "+bodyIs("")+" && "+settled))
	if thread := threadOf(t, st, tk); thread[len(thread)-1].Body != reply {
		t.Fatalf("the last message is %q, want the reply", thread[len(thread)-1].Body)
	}
}

// An empty reply says what is missing beside the text, in the agent's language, without a round trip.
func TestEmptyReplySaysWhatIsMissing(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	base, st, logins := startServerBehind(t, door.wrap)
	da := danish(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	before := len(threadOf(t, st, tk))

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "type only spaces", typeAtEnd("   "), waitFor(bodyIs("   ")))
	pressSendWith(t, ctx, sendButton, settled)
	step(t, ctx, "the composer says what is missing beside the text",
		waitFor(sendStateIs("stopped")+" && "+bodyErrorSays(da.T("composer.body_missing"))+" && "+bodyFocused),
	)
	shootWindow(t, ctx, "composer-empty.png")
	if n := door.sends.Load(); n != 0 {
		t.Errorf("the empty reply went to the server %d times; the page knows it is empty", n)
	}
	if n := len(threadOf(t, st, tk)); n != before {
		t.Fatalf("the ticket has %d messages, had %d", n, before)
	}
	step(t, ctx, "typing takes the message away", typeAtEnd("Hej"), waitFor(`document.querySelector("#composer #err-body") === null`))
}

// A reply over the longest message there is: the coach says so instead of "not answering", and Send
// says it beside the text with the text kept, for one over the message limit and one over the HTTP cap.
func TestOversizeReplyKeepsTheText(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	base, st, logins := startServerBehind(t, door.wrap)
	da := danish(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	before := len(threadOf(t, st, tk))

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	for _, size := range []int{desk.MaxBody + 2048, 300 << 10} {
		// ASCII only, so the page's UTF-16 length and the server's byte count agree.
		text := strings.Repeat("The parcel is on its way to you. ", size/33+1)
		kb := (len(strings.TrimSpace(text)) + 1023) / 1024
		step(t, ctx, fmt.Sprintf("paste a %d KB reply", kb),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
				const a = document.querySelector(%q);
				a.focus();
				a.select();
				document.execCommand("insertText", false, %q);
			})()`, bodyField, text)),
			waitFor(fmt.Sprintf(`document.querySelector(%q).value.length === %d`, bodyField, len(text))+" && "+coachAnswered),
			waitFor(fmt.Sprintf(`document.querySelector("#composer .coach-status").textContent === %q`,
				da.T("coach.too_long", map[string]any{"Max": desk.MaxBody >> 10}))),
		)
		pressSendWith(t, ctx, sendButton, settled)
		step(t, ctx, fmt.Sprintf("the %d KB reply is stopped beside the text, and kept", kb),
			waitFor(sendStateIs("stopped")+" && "+bodyErrorSays(da.T("composer.body_too_long", map[string]any{"Size": kb, "Max": desk.MaxBody >> 10}))),
			waitFor(fmt.Sprintf(`document.querySelector(%q).value.length === %d`, bodyField, len(text))),
		)
	}
	if n := door.sends.Load(); n != 0 {
		t.Errorf("an over-size reply went to the server %d times; the page knows its size", n)
	}
	if n := len(threadOf(t, st, tk)); n != before {
		t.Fatalf("the ticket has %d messages, had %d", n, before)
	}
}

// A press waiting for the coach whose composer is replaced meanwhile (the conversation drawn anew, with
// the same text from the saved draft) is sent from the new composer, once, instead of being dropped.
func TestSendWaitingWhenTheComposerIsReplacedGoesOut(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	base, st, logins := startServerBehind(t, door.wrap)
	agent := agentLogins(t, logins)[0]
	user := userOf(t, st, agent)
	tk := replyableTicket(t, st)
	before := len(threadOf(t, st, tk))
	reply := fmt.Sprintf("Hej %s\nDet er ærgerligt, at varen ikke passede. Jeg har sendt en returlabel til dig i dag.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	noErrors(t, reply)

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	door.lint.Hold()
	step(t, ctx, "type a reply while the coach does not answer", typeAtEnd(reply), waitFor(bodyIs(reply)))
	storedDraft(t, st, tk, user, reply) // the server draws the composer with it
	pressSendWith(t, ctx, sendButton, settled)
	step(t, ctx, "the press waits", waitFor(sendStateIs("waiting")))
	step(t, ctx, "the conversation is drawn anew while the press waits",
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			window.__e2eOldComposer = document.getElementById("composer");
			htmx.ajax("GET", "/tickets/%d", { target: "#conversation", select: "#conversation", swap: "innerHTML" });
		})()`, tk.Number)),
		waitFor(`document.getElementById("composer") !== window.__e2eOldComposer && `+bodyIs(reply)+" && "+settled),
	)
	door.lint.Release()
	step(t, ctx, "the reply goes out from the new composer",
		waitFor(threadShows(reply)+" && "+bodyIs("")+" && "+settled),
	)
	thread := threadOf(t, st, tk)
	if len(thread) != before+1 || thread[len(thread)-1].Body != reply {
		t.Fatalf("after one press the ticket has %d messages (had %d), the last %q; want the reply once", len(thread), before, thread[len(thread)-1].Body)
	}
	if n := door.sends.Load(); n != 1 {
		t.Errorf("the page sent the reply %d times, want once", n)
	}
}
