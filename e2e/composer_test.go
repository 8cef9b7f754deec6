package e2e

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// lintDa is what the server's coach says about a Danish reply to a customer: the page must show the same.
func lintDa(text string) coach.Result {
	return coach.Default().Lint(text, coach.Options{Lang: "da"})
}

// rulesOf lists a result's rules, sorted, so two answers compare as sets with repeats.
func rulesOf(findings []coach.Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, f.Rule)
	}
	slices.Sort(out)
	return out
}

// errorRules are the rules of the error-level findings, the ones the send gate stops.
func errorRules(r coach.Result) []string {
	var errs []coach.Finding
	for _, f := range r.Findings {
		if f.Severity == coach.SevError {
			errs = append(errs, f)
		}
	}
	return rulesOf(errs)
}

// findingOf is the coach's one finding of a rule; a test text is written to have exactly one.
func findingOf(t *testing.T, r coach.Result, rule string) coach.Finding {
	t.Helper()
	var out []coach.Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("the coach finds %d %s in the test's text, want 1: %+v", len(out), rule, r.Findings)
	}
	return out[0]
}

// noErrors ends a test whose own text, meant to go out at once, would be stopped by the send gate.
func noErrors(t *testing.T, text string) {
	t.Helper()
	if errs := errorRules(lintDa(text)); len(errs) > 0 {
		t.Fatalf("the test's reply has error-level findings %v; it cannot be sent without a reason: %q", errs, text)
	}
}

// checkCoachView compares the composer with the coach's answer for its text: the same findings,
// each quoting the coach's text, and each mark covering exactly that text in the textarea.
func checkCoachView(t *testing.T, v coachView, text string, marked ...string) {
	t.Helper()
	if v.Value != text {
		t.Fatalf("the composer reads %q, want the text typed, %q", v.Value, text)
	}
	if v.Mirror != v.Value {
		t.Fatalf("the highlight layer reads %q, the textarea %q: the marks are not behind their words", v.Mirror, v.Value)
	}
	if len(v.Misfit) > 0 {
		t.Errorf("the highlight layer does not lie on the textarea: %s", strings.Join(v.Misfit, "; "))
	}
	want := coach.Default().Lint(text, coach.Options{Lang: v.Lang})
	var got []string
	byQuote := map[string]coach.Finding{}
	for _, f := range want.Findings {
		byQuote[f.Rule+"\x00"+f.Text] = f
	}
	for _, f := range v.Findings {
		got = append(got, f.Rule)
		c, ok := byQuote[f.Rule+"\x00"+f.Quote]
		if !ok {
			t.Errorf("the panel's %s finding quotes %q; the coach has no such finding", f.Rule, f.Quote)
			continue
		}
		rewrites := 0
		for _, s := range c.Suggestions {
			if s.Replace != nil {
				rewrites++
			}
		}
		if f.Severity != string(c.Severity) || f.Applies != rewrites {
			t.Errorf("the panel's %s finding is %s with %d one-click rewrites, the coach's %s with %d", f.Rule, f.Severity, f.Applies, c.Severity, rewrites)
		}
		if f.Marked != nil && *f.Marked != f.Quote {
			t.Errorf("the %s marks cover %q (marks %q), the finding is about %q: offsets are off", f.Rule, *f.Marked, f.Marks, f.Quote)
		}
		if slices.Contains(marked, f.Rule) && f.Marked == nil {
			t.Errorf("the %s finding has no mark in the text", f.Rule)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, rulesOf(want.Findings)) {
		t.Errorf("the panel lists %v, the coach finds %v in %q", got, rulesOf(want.Findings), text)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// marksOf holds while the highlight layer marks each of the rules.
func marksOf(rules ...string) string {
	var conds []string
	for _, r := range rules {
		conds = append(conds, fmt.Sprintf(`document.querySelector(%q) !== null`, `#composer .coach-backdrop mark.coach-mark[data-rule="`+r+`"]`))
	}
	return strings.Join(conds, " && ")
}

func TestComposerCoachesAsTheAgentTypes(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	user := userOf(t, st, agent)
	tk := replyableTicket(t, st)
	before := len(threadOf(t, st, tk))
	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)

	// A reply that starts a sentence with "Men", hedges with "måske" and asks a yes/no question.
	first := "Jeg kan godt forstå, at du er frustreret. Men vi kan måske finde pakken. Har du tjekket postkassen?"
	step(t, ctx, "type a reply the coach has things to say about",
		typeAtEnd(first),
		waitFor(coachFresh+" && "+hasFinding("no-but")+" && "+hasFinding("weak-word")+" && "+hasFinding("closed-question")+
			" && "+marksOf("no-but", "weak-word", "closed-question")),
	)
	checkCoachView(t, readCoach(t, ctx), first, "no-but", "weak-word", "closed-question")

	// One click on the coach's rewrite of the "Men" sentence; the coach reads the new text again.
	noBut := findingOf(t, lintDa(first), "no-but")
	i := slices.IndexFunc(noBut.Suggestions, func(s coach.Suggestion) bool { return s.Replace != nil })
	if i < 0 {
		t.Fatalf("the coach offers no rewrite for %q", noBut.Text)
	}
	applied := first[:noBut.Start] + *noBut.Suggestions[i].Replace + first[noBut.End:]
	step(t, ctx, "apply the rewrite of the sentence that starts with Men",
		chromedp.Click(chromedp.CSS(`#composer .coach-panel li.coach-finding[data-rule=no-but] button.coach-apply`)),
		waitFor(bodyIs(applied)+" && "+coachFresh+" && !("+hasFinding("no-but")+") && "+hasFinding("weak-word")),
	)
	checkCoachView(t, readCoach(t, ctx), applied, "weak-word", "closed-question")

	// Start again with a reply that blames the customer: the send gate stops it before anything is stored.
	blame := fmt.Sprintf("Hej %s\nDet er ærgerligt, at pakken ikke er kommet. Du har tastet adressen forkert. "+
		"Jeg har rettet den, og pakken bliver sendt igen i dag, så du har den i morgen.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	blamed := lintDa(blame)
	if !slices.Contains(errorRules(blamed), "blame") {
		t.Fatalf("the coach does not find blame in %q: %+v", blame, blamed.Findings)
	}
	step(t, ctx, "type a reply that blames the customer",
		typeOver(blame),
		waitFor(bodyIs(blame)+" && "+coachFresh+" && "+hasFinding("blame")+" && "+marksOf("blame")),
	)
	checkCoachView(t, readCoach(t, ctx), blame, "blame")
	pressSend(t, ctx)
	step(t, ctx, "the gate stops the reply that blames the customer",
		waitFor(`document.querySelector("#composer .send-gate:not([hidden]) li[data-rule=blame]") !== null && `+sendStateIs("stopped")+" && "+settled),
	)
	gate, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Rules   []string `json:"rules"`
		Focused string   `json:"focused"`
	}](`({
		rules: [...document.querySelectorAll("#composer .send-gate li[data-rule]")].map((li) => li.dataset.rule).sort(),
		focused: document.activeElement ? document.activeElement.name || document.activeElement.tagName : "",
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gate.Rules, errorRules(blamed)) {
		t.Errorf("the send gate lists %v, the coach's errors are %v", gate.Rules, errorRules(blamed))
	}
	if gate.Focused != "override_reason" {
		t.Errorf("with the gate open the focus is on %q, want the reason field", gate.Focused)
	}
	if n := len(threadOf(t, st, tk)); n != before {
		t.Fatalf("the gate stopped the reply, but the ticket has %d messages, had %d", n, before)
	}
	if v := readCoach(t, ctx); v.Value != blame {
		t.Fatalf("with the gate open the composer reads %q, want the text typed, %q", v.Value, blame)
	}

	// A reason, then "send anyway": the reply goes out with the coaching it was sent past.
	reason := "Kunden bad selv om en kort besked om adressen"
	step(t, ctx, "give a reason",
		chromedp.SendKeys(chromedp.CSS(`#composer .send-gate input[name=override_reason]`), reason),
		waitFor(bodyIs(blame)),
	)
	pressSendWith(t, ctx, `#composer .send-gate button.send-anyway`, coachAnswered+" && "+settled)
	step(t, ctx, "the reply goes out past the gate",
		waitFor(threadShows(blame)+` && document.querySelector("#thread li.message:last-child .message-coaching li.stored-finding[data-rule=blame]") !== null && `+settled),
	)
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#thread li.message:last-child .message-coaching li.stored-finding")].map((li) => li.dataset.rule).sort()`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shown, rulesOf(blamed.Findings)) {
		t.Errorf("the sent reply shows stored findings %v, the coach found %v", shown, rulesOf(blamed.Findings))
	}
	step(t, ctx, "the composer is empty for the next reply", waitFor(bodyIs("")))

	thread := threadOf(t, st, tk)
	if len(thread) != before+1 {
		t.Fatalf("the ticket has %d messages after the send, want %d", len(thread), before+1)
	}
	sent := thread[len(thread)-1]
	if sent.Body != blame || !sent.FromAgent || sent.AuthorID != user.ID {
		t.Fatalf("the stored reply is %+v, want %q from %s", sent, blame, user.Name)
	}
	c := sent.Coaching
	if c == nil {
		t.Fatal("the reply was stored without its coaching")
	}
	if !c.Overridden || c.OverrideReason != reason {
		t.Errorf("the stored coaching: overridden %v, reason %q; want sent anyway with %q", c.Overridden, c.OverrideReason, reason)
	}
	var stored []coach.Finding
	for _, f := range c.Findings {
		stored = append(stored, coach.Finding{Rule: f.Rule})
		if f.Rule == "blame" && f.Text != findingOf(t, blamed, "blame").Text {
			t.Errorf("the stored blame finding quotes %q, the coach %q", f.Text, findingOf(t, blamed, "blame").Text)
		}
	}
	if !slices.Equal(rulesOf(stored), rulesOf(blamed.Findings)) {
		t.Errorf("the stored findings are %v, the coach found %v", rulesOf(stored), rulesOf(blamed.Findings))
	}
	storedDraft(t, st, tk, user, "")
}

func TestComposerDraftSurvivesReload(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	user := userOf(t, st, agent)
	tk := replyableTicket(t, st)
	reply := fmt.Sprintf("Hej %s\nDet er ærgerligt, at ordren ikke er, som du ventede. Jeg har sendt dig en returlabel på mail, "+
		"og en ny vare bliver sendt i dag, så du har den i morgen.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	noErrors(t, reply)

	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "type a reply", typeAtEnd(reply), waitFor(bodyIs(reply)))
	storedDraft(t, st, tk, user, reply)
	step(t, ctx, "the composer says the draft is saved",
		waitFor(`(() => {
			const s = document.querySelector("#composer .draft-status");
			return s.dataset.state === "saved" && s.textContent.trim() !== "" && !s.textContent.includes("{");
		})()`),
	)

	step(t, ctx, "reload the page", chromedp.Reload(), waitFor(bodyIs(reply)+" && "+coachFresh+" && "+settled),
		// The page says the text is a kept draft, so the agent trusts it.
		waitFor(`document.querySelector("#composer .draft-status").dataset.state === "kept"`))
	checkCoachView(t, readCoach(t, ctx), reply)

	// Another device: a fresh browser, nothing in its storage, the same agent.
	other := newBrowser(t, execPath)
	watchCoach(t, other)
	signIn(t, other, base, agent)
	openTicket(t, other, base, tk.Number)
	step(t, other, "the draft is there on another device", waitFor(bodyIs(reply)+" && "+coachFresh))

	before := len(threadOf(t, st, tk))
	pressSend(t, other)
	step(t, other, "the draft sent from the other device is in the thread",
		waitFor(threadShows(reply)+" && "+bodyIs("")+" && "+settled),
	)
	storedDraft(t, st, tk, user, "")
	thread := threadOf(t, st, tk)
	if len(thread) != before+1 || thread[len(thread)-1].Body != reply {
		t.Fatalf("after the send the ticket has %d messages (had %d), the last %q; want the draft sent once", len(thread), before, thread[len(thread)-1].Body)
	}
	// The first device, reloaded, no longer offers the sent text.
	step(t, ctx, "reload the first device", chromedp.Reload(), waitFor(threadShows(reply)+" && "+bodyIs("")+" && "+settled))
	storedDraft(t, st, tk, user, "")
}

func TestTwoAgentsOnOneTicket(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agents := agentLogins(t, logins)
	userA, userB := userOf(t, st, agents[0]), userOf(t, st, agents[1])
	tk := replyableTicket(t, st)
	textA := fmt.Sprintf("Hej %s\nDet er ærgerligt, at det har drillet. Jeg har kigget på din sag, og du får et svar fra mig i løbet af dagen.\nVenlig hilsen\n%s", firstName(tk.Customer.Name), firstName(userA.Name))
	textB := fmt.Sprintf("Hej %s\nDet er ærgerligt, at det har drillet. Jeg har sendt en ny vare til dig i dag, så du har den i morgen.\nVenlig hilsen\n%s", firstName(tk.Customer.Name), firstName(userB.Name))
	noErrors(t, textA)
	noErrors(t, textB)
	before := len(threadOf(t, st, tk))

	a, b := newBrowser(t, execPath), newBrowser(t, execPath)
	watchCoach(t, a)
	watchCoach(t, b)
	signIn(t, a, base, agents[0])
	signIn(t, b, base, agents[1])
	openTicket(t, a, base, tk.Number)
	openTicket(t, b, base, tk.Number)
	viewing := func(name string) string {
		return fmt.Sprintf(`(() => {
			const v = document.querySelector("#composer .viewers");
			return !!v && !v.hidden && v.textContent.includes(%q);
		})()`, name)
	}
	step(t, a, "A sees B on the ticket", waitFor(liveOpen+" && "+viewing(userB.Name)))
	step(t, b, "B sees A on the ticket", waitFor(liveOpen+" && "+viewing(userA.Name)))

	step(t, a, "A starts a reply",
		typeAtEnd(textA),
		waitFor(bodyIs(textA)+" && "+coachFresh),
		// A mark on this page: a reload would lose it.
		chromedp.Evaluate[chromedp.Void](`window.__e2eSamePage = true`),
	)
	step(t, b, "B writes a reply", typeAtEnd(textB), waitFor(bodyIs(textB)+" && "+coachFresh))
	pressSend(t, b)
	step(t, b, "B's reply is in B's thread", waitFor(threadShows(textB)+" && "+bodyIs("")+" && "+settled))
	notice := func(source, name string) string {
		return fmt.Sprintf(`[...document.querySelectorAll("#composer .collision-warning[data-source=%s]")].some((n) => n.textContent.includes(%q))`, source, name)
	}
	step(t, a, "A's page shows B's reply as it comes, and keeps A's text",
		waitFor(threadShows(textB)+" && "+notice("live", userB.Name)+" && "+settled),
	)
	step(t, a, "A's page was not reloaded and A's text is all there",
		waitFor(`window.__e2eSamePage === true && `+bodyIs(textA)),
	)

	// The server stops A's first send once: A wrote without having seen B's reply.
	pressSend(t, a)
	step(t, a, "the server stops A's send once", waitFor(notice("server", userB.Name)+" && "+sendStateIs("refused")+" && "+settled))
	step(t, a, "A's text is still in the composer, with the caret in it", waitFor(bodyIs(textA)+" && "+bodyFocused))
	thread := threadOf(t, st, tk)
	if len(thread) != before+1 || thread[len(thread)-1].Body != textB {
		t.Fatalf("after A's stopped send the ticket has %d messages (had %d), the last %q; want only B's reply added", len(thread), before, thread[len(thread)-1].Body)
	}

	pressSend(t, a)
	step(t, a, "A's second send goes out", waitFor(threadShows(textA)+" && "+bodyIs("")+" && "+settled))
	thread = threadOf(t, st, tk)
	if len(thread) != before+2 || thread[len(thread)-1].Body != textA || thread[len(thread)-1].AuthorID != userA.ID {
		t.Fatalf("after A's second send the ticket has %d messages (had %d), the last %+v; want A's reply", len(thread), before, thread[len(thread)-1])
	}
	step(t, b, "B's page shows A's reply as it comes", waitFor(threadShows(textA)+" && "+notice("live", userA.Name)))
}

// TestSendGateHoldsWhenTheCoachIsDown blocks the page's lint requests: the page cannot stop the reply,
// so the server's gate does, and the composer comes back with the errors and everything typed.
func TestSendGateHoldsWhenTheCoachIsDown(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	before := len(threadOf(t, st, tk))
	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
		URLPatterns: []*network.BlockPattern{{URLPattern: base + "/api/v1/lint", Block: true}},
	}); err != nil {
		t.Fatal(err)
	}

	blame := fmt.Sprintf("Hej %s\nDet er ærgerligt, at pakken ikke er kommet. Du har tastet adressen forkert. "+
		"Jeg har rettet den, og pakken bliver sendt igen i dag, så du har den i morgen.\nVenlig hilsen\nAnna", firstName(tk.Customer.Name))
	blamed := lintDa(blame)
	step(t, ctx, "type a reply that blames the customer while the coach is unreachable",
		typeAtEnd(blame),
		// The panel says the coach is unavailable (data-lint-state goes straight back to "pending" for the retry).
		waitFor(bodyIs(blame)+` && document.querySelector("#composer .coach-status[data-kind=error]:not([hidden])") !== null`),
	)
	pressSendWith(t, ctx, sendButton, settled)
	step(t, ctx, "the server's gate stops it",
		waitFor(`document.querySelector("#composer .send-gate:not([hidden]) li[data-rule=blame]") !== null && `+sendStateIs("refused")+" && "+settled),
		waitFor(bodyIs(blame)+` && document.activeElement === document.querySelector("#composer .send-gate input[name=override_reason]")`),
	)
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#composer .send-gate li[data-rule]")].map((li) => li.dataset.rule).sort()`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rules, errorRules(blamed)) {
		t.Errorf("the server's gate lists %v, the coach's errors are %v", rules, errorRules(blamed))
	}
	if n := len(threadOf(t, st, tk)); n != before {
		t.Fatalf("the server's gate refused the reply, but the ticket has %d messages, had %d", n, before)
	}

	reason := "Kunden bad selv om en kort besked om adressen"
	step(t, ctx, "give a reason", chromedp.SendKeys(chromedp.CSS(`#composer .send-gate input[name=override_reason]`), reason))
	pressSendWith(t, ctx, `#composer .send-gate button.send-anyway`, settled)
	step(t, ctx, "the reply goes out past the gate",
		waitFor(threadShows(blame)+` && document.querySelector("#thread li.message:last-child .message-coaching li.stored-finding[data-rule=blame]") !== null && `+settled),
	)
	thread := threadOf(t, st, tk)
	sent := thread[len(thread)-1]
	if len(thread) != before+1 || sent.Body != blame || sent.Coaching == nil || !sent.Coaching.Overridden || sent.Coaching.OverrideReason != reason {
		t.Fatalf("after send anyway the ticket has %d messages (had %d), the last %+v; want the reply sent past the gate with %q", len(thread), before, sent, reason)
	}
}

// latencyEdits is how many one-word edits TestCoachLatency times.
const latencyEdits = 50

func TestCoachLatency(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)

	// "måske" keeps a mark in every version of the text, so every edit has a highlight to paint.
	step(t, ctx, "start a reply",
		typeAtEnd(fmt.Sprintf("Hej %s\nVi kan måske", firstName(tk.Customer.Name))),
		waitFor(coachFresh+" && "+marksOf("weak-word")),
	)
	words := strings.Fields("finde en løsning på det her i dag og sende dig en ny vare med det samme så du har den " +
		"i morgen tidlig når du står op og skal på arbejde igen efter en lang weekend hvor vi har haft travlt med " +
		"mange ordrer fra kunder der også venter på deres pakker")
	if len(words) < latencyEdits {
		t.Fatalf("%d words for %d edits", len(words), latencyEdits)
	}
	// Painted for this text, after its last key, with the mirror and its marks in place.
	painted := coachFresh + ` && window.__e2e.linted.at > window.__e2e.lastKey && ` + marksOf("weak-word") + ` &&
		document.querySelector("#composer .coach-backdrop").textContent.replace(/\u200b$/, "") === document.querySelector("#composer textarea[name=body]").value`
	var ms []float64
	for i, w := range words[:latencyEdits] {
		step(t, ctx, fmt.Sprintf("edit %d of %d: type %q", i+1, latencyEdits, w),
			chromedp.SendKeys(chromedp.CSS(bodyField), " "+w),
			waitFor(painted),
		)
		d, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__e2e.linted.at - window.__e2e.lastKey`))
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, d)
	}
	if len(ms) != latencyEdits {
		t.Fatalf("%d of %d edits got a highlight", len(ms), latencyEdits)
	}
	slices.Sort(ms)
	t.Logf("keystroke→highlight over %d edits: median %.0f ms, p95 %.0f ms, max %.0f ms",
		len(ms), (ms[len(ms)/2-1]+ms[len(ms)/2])/2, ms[int(math.Ceil(0.95*float64(len(ms))))-1], ms[len(ms)-1])
}

// TestComposerScreenshots writes composer-da.png and composer-en.png into $COACHDESK_SCREENSHOTS.
func TestComposerScreenshots(t *testing.T) {
	dir := os.Getenv("COACHDESK_SCREENSHOTS")
	if dir == "" {
		t.Skip("set COACHDESK_SCREENSHOTS to a directory to write the composer's screenshots")
	}
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	user := userOf(t, st, agent)
	tk := replyableTicket(t, st)
	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	step(t, ctx, "size the window as the README shows it", chromedp.EmulateViewport(1280, 900))
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)

	reply := fmt.Sprintf("Hej %s\nJeg kan godt forstå, at det er træls. Men du har måske bestilt den forkerte model. "+
		"Har du tjekket ordrebekræftelsen?\nDu har tastet modelnummeret forkert.\nMvh Anna", firstName(tk.Customer.Name))
	step(t, ctx, "type a reply with several findings",
		typeAtEnd(reply),
		waitFor(bodyIs(reply)+" && "+coachFresh+" && "+marksOf("no-but", "weak-word", "blame")),
	)
	checkCoachView(t, readCoach(t, ctx), reply, "no-but", "weak-word", "blame")
	storedDraft(t, st, tk, user, reply) // the English page restores it from the server
	shoot(t, ctx, filepath.Join(dir, "composer-da.png"))

	// Switch the agent's language through the user menu, then answer an English customer in English.
	step(t, ctx, "switch the interface to English",
		chromedp.Click(chromedp.CSS(`details.usermenu > summary`)),
		chromedp.Click(chromedp.CSS(`details.usermenu button[name=locale][value=en]`)),
		waitFor(`document.documentElement.lang === "en" && `+bodyIs(reply)+" && "+settled),
	)
	en, err := st.CreateTicket(context.Background(), desk.NewTicket{Subject: "My jacket has not arrived",
		Body:         "Hi, I ordered a winter jacket two weeks ago and it still has not arrived. I am really disappointed.",
		CustomerName: "Jane Cooper", CustomerEmail: "jane.cooper@example.com", Channel: desk.ChannelEmail, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	openTicket(t, ctx, base, en.Number)
	english := "Hi Jane\nI can see how annoying it is to wait for the jacket. But maybe you ordered the wrong size. " +
		"Did you check the order confirmation?\nYou entered the address wrong.\nBest, Anna"
	step(t, ctx, "type an English reply with several findings",
		typeAtEnd(english),
		waitFor(bodyIs(english)+" && "+coachFresh+" && "+marksOf("no-but", "weak-word", "blame")),
	)
	checkCoachView(t, readCoach(t, ctx), english, "no-but", "weak-word", "blame")
	shoot(t, ctx, filepath.Join(dir, "composer-en.png"))
}

// shoot saves the composer as the agent sees it in a 1280x900 window: the whole form, with a margin
// of the page around it. The capture may reach below the window (a tall composer is still whole);
// scrolled to the top, the sticky top bar stays out of the clip.
func shoot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	step(t, ctx, "lay out the page for the screenshot",
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`),
		// Two frames: the scroll and the mirror's fit are painted before the capture.
		chromedp.Evaluate[chromedp.Void](`new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))`, chromedp.EvalAwaitPromise),
	)
	clip, err := chromedp.Run(ctx, chromedp.Evaluate[page.Viewport](`(() => {
		const r = document.querySelector("#composer").getBoundingClientRect(), m = 16;
		return { x: Math.round(r.left + scrollX - m), y: Math.round(r.top + scrollY - m), width: Math.round(r.width + 2 * m), height: Math.round(r.height + 2 * m), scale: 1 };
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	beyond := true
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng, Clip: &clip, CaptureBeyondViewport: &beyond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, shot.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%.0fx%.0f)", path, clip.Width, clip.Height)
}

// Emoji are two UTF-16 units and four UTF-8 bytes, æøå two bytes and one unit: the coach's byte
// offsets must still land every mark on its words, also after scrolling a long reply.
func TestMarksStayOnTheirWordsWithEmojiAndScrolling(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	signIn(t, ctx, base, agent)
	openTicket(t, ctx, base, tk.Number)

	lines := []string{"Hej Søren 😀", "Jeg kan se, at det er ærgerligt, at æsken 📦 ikke er nået frem."}
	for i := range 12 {
		lines = append(lines, fmt.Sprintf("Punkt %d: pakken 🚚 er på vej til Åbenrå.", i+1))
	}
	lines = append(lines, "Men måske 🙂 kan vi nå det i dag. Har du fået en sms fra GLS?", "Mvh Anna")
	text := strings.Join(lines, "\n")
	// Pasted, as agents often do: one editing command, the same input event typing gives.
	step(t, ctx, "paste a long reply with emoji and æøå",
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const a = document.querySelector(%q);
			a.focus();
			document.execCommand("insertText", false, %q);
		})()`, bodyField, text)),
		waitFor(bodyIs(text)+" && "+coachFresh+" && "+marksOf("no-but", "weak-word", "closed-question")),
	)
	checkCoachView(t, readCoach(t, ctx), text, "no-but", "weak-word", "closed-question")

	step(t, ctx, "scroll the text to its end",
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const a = document.querySelector(%q);
			a.scrollTop = a.scrollHeight;
			a.dispatchEvent(new Event("scroll"));
		})()`, bodyField)),
		waitFor(fmt.Sprintf(`(() => { const a = document.querySelector(%q); return a.scrollTop > 0 && a.scrollTop === a.parentElement.querySelector(".coach-backdrop").scrollTop; })()`, bodyField)),
	)
	checkCoachView(t, readCoach(t, ctx), text, "no-but", "weak-word", "closed-question")
}
