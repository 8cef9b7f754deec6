package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/desk"
)

// An admin adds "desværre" as a Danish weak word with an example that must fire on it, backtests the
// draft on the demo's past replies, publishes it, and the agent's composer flags "desværre" on the
// next lint. With COACHDESK_SCREENSHOTS set it writes the rules page, the backtest and a version diff.
func TestAdminPublishesAWeakWord(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	b := newBrowser(t, execPath)
	shots := os.Getenv("COACHDESK_SCREENSHOTS")
	shoot := func(name string) {
		if shots == "" {
			return
		}
		png, err := chromedp.Run(b, chromedp.CaptureScreenshot()) // the 1280×900 window
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	signIn(t, b, base, loginWithRole(t, logins, desk.RoleAdmin))
	const add = `form.entry-add[data-add="rules.weak-word.entries[1].words"]`
	const example = `#rule-weak-word form.example-add`
	step(t, b, "add the word with a note",
		chromedp.Navigate(base+"/admin/rules/da?open=weak-word#rule-weak-word"),
		waitFor(`document.querySelector('`+add+`') !== null && `+settled),
		chromedp.SendKeys(chromedp.CSS(add+` input[name=value]`), "desværre"),
		chromedp.SendKeys(chromedp.CSS(add+` input[name=note]`), "Lyder som en undskyldning for ikke at hjælpe"),
		chromedp.Click(chromedp.CSS(add+` button`)),
		waitFor(`location.search.includes("saved=1") && document.querySelector('#rule-weak-word li.entry[data-entry="desværre"]') !== null && `+settled),
	)
	step(t, b, "add an example that must fire on it",
		chromedp.SendKeys(chromedp.CSS(example+` textarea[name=text]`), "Hej Jens. Det er desværre ikke muligt at ændre ordren, når den er pakket."),
		chromedp.SetValue(chromedp.CSS(example+` select[name=fire]`), "1"),
		chromedp.SendKeys(chromedp.CSS(example+` input[name=span]`), "desværre"),
		chromedp.Click(chromedp.CSS(example+` button`)),
		waitFor(`[...document.querySelectorAll('#rule-weak-word li.example.example-ok')].some(li => li.textContent.includes("ændre ordren, når den er pakket")) && `+settled),
	)
	if shots != "" {
		step(t, b, "the page from the top, the weak words open", chromedp.Navigate(base+"/admin/rules/da?open=weak-word"), waitFor(settled),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#rule-weak-word .rule-list:nth-of-type(2)').scrollIntoView({block: "center"})`))
		shoot("rules-page.png")
	}
	step(t, b, "backtest the draft on the last 30 days",
		chromedp.Click(chromedp.CSS(`#backtest-start`)),
		waitFor(`document.querySelector('#backtest[data-state="done"] #backtest-done') !== null && `+settled),
	)
	step(t, b, "publish it with a reason",
		chromedp.Navigate(base+"/admin/rules/da#draft"),
		waitFor(`document.querySelector('#publish-form input[name=reason]') !== null && `+settled),
		chromedp.SendKeys(chromedp.CSS(`#publish-form input[name=reason]`), "Desværre lyder, som om vi ikke vil hjælpe"),
		chromedp.Click(chromedp.CSS(`#publish`)),
		waitFor(`location.search.includes("published=3") && document.querySelector('[data-draft="same"]') !== null`),
	)
	step(t, b, "the history shows the new version with its diff",
		chromedp.Navigate(base+"/admin/rules/da/history"),
		waitFor(`document.querySelector('tr[data-version="3"]') !== null && [...document.querySelectorAll('#version-diff .diff-add')].some(s => s.textContent.includes("desværre"))`),
	)
	if shots != "" {
		step(t, b, "open the demo's second version", chromedp.Navigate(base+"/admin/rules/da/versions/2"), waitFor(`document.querySelector('#version-diff') !== null && `+settled))
		shoot("rules-diff.png")
	}
	signOut(t, b)

	agent := agentLogins(t, logins)[0]
	tk := replyableTicket(t, st)
	watchCoach(t, b)
	signIn(t, b, base, agent)
	openTicket(t, b, base, tk.Number)
	step(t, b, "the composer flags desværre on the next lint",
		typeAtEnd("Hej Jens. Det er desværre ikke muligt at ændre ordren nu, så jeg sender den, som den er."),
		waitFor(coachFresh+` && [...document.querySelectorAll('#composer .coach-panel li.coach-finding[data-rule="weak-word"]')].some(li => li.textContent.includes("desværre"))`),
	)
	if shots == "" {
		return
	}
	// For the README: a backtest that changes something on the demo's replies (måske no longer weak).
	signOut(t, b)
	signIn(t, b, base, loginWithRole(t, logins, desk.RoleAdmin))
	const maske = `#rule-weak-word li.entry[data-entry="måske"] button[value=remove]`
	step(t, b, "drop måske in a draft and backtest it",
		chromedp.Navigate(base+"/admin/rules/da?open=weak-word"),
		waitFor(`document.querySelector('`+maske+`') !== null && `+settled),
		chromedp.Click(chromedp.CSS(maske)),
		waitFor(`location.search.includes("saved=1") && document.querySelector('`+maske+`') === null && `+settled),
		chromedp.Click(chromedp.CSS(`#backtest-start`)),
		waitFor(`document.querySelector('#backtest[data-state="done"] #backtest-done') !== null && `+settled),
	)
	shoot("rules-backtest.png")
}
