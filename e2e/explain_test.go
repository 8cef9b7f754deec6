package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/coach"
)

// An agent whose interface is English reads the coach's explanation in English on a Danish ticket
// (the coach's own tests check that its rewrites stay in the reply's language).
func TestComposerExplainsInTheAgentsLanguage(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	tk := replyableTicket(t, st)
	reply := "Hej\nVi prøver at sende pakken igen i morgen.\nMvh Anna"
	message := func(locale string) string {
		for _, f := range coach.Default().Lint(reply, coach.Options{Lang: "da", Locale: locale}).Findings {
			if f.Rule == coach.RuleWeakWord {
				return f.Message
			}
		}
		t.Fatalf("the coach finds no weak word in %q", reply)
		return ""
	}
	english := message("en")
	if danish := message("da"); danish == english {
		t.Fatalf("the weak-word message is the same in Danish and English: %q", english)
	}
	ctx := newBrowser(t, execPath)
	watchCoach(t, ctx)
	signIn(t, ctx, base, agentLogins(t, logins)[0])
	step(t, ctx, "switch the interface to English",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("form[action='/settings/locale'] button[value=en]").click()`),
		waitFor(`document.documentElement.lang === "en" && `+settled),
	)
	openTicket(t, ctx, base, tk.Number)
	step(t, ctx, "type a reply with a weak word",
		typeAtEnd(reply),
		waitFor(bodyIs(reply)+" && "+coachFresh+" && "+marksOf("weak-word")),
		waitFor(fmt.Sprintf(`[...document.querySelectorAll('#composer li.coach-finding[data-rule="weak-word"] .coach-message')].some((p) => p.textContent === %q)`, english)),
	)
}
