package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/i18n"
)

// A customer's message over what the server takes is stopped in the page, beside the message, with
// everything typed kept: over the 256 KB cap the server could not read the form to send it back.
func TestOversizeSupportMessageKeepsTheText(t *testing.T) {
	execPath := needChromium(t)
	door := &frontDoor{lint: newHoldGate(isLint)}
	posts := 0
	base, _, _ := startServerBehind(t, door.wrap)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := bundle.For("en") // a guest's page follows the browser's language, English in headless Chromium
	ctx := newBrowser(t, execPath)
	step(t, ctx, "open the support form", chromedp.Navigate(base+"/support"), waitFor(`document.querySelector("form.support textarea[name=message]") !== null && `+settled))
	limited, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("form.support textarea[name=message]").hasAttribute("data-max-bytes")`))
	if err != nil {
		t.Fatal(err)
	}
	if !limited {
		// templates/forms.templ (the lead's) is to give the message its limit and message; until then this cannot run.
		t.Skip("the support form's message has no data-max-bytes yet")
	}
	message := strings.Repeat("My order arrived broken and I would like a new one. ", (300<<10)/52+1)
	step(t, ctx, "fill in the form with a 300 KB message",
		chromedp.SendKeys(chromedp.CSS(`form.support input[name=name]`), "Karen Blixen"),
		chromedp.SendKeys(chromedp.CSS(`form.support input[name=email]`), "karen@example.dk"),
		chromedp.SendKeys(chromedp.CSS(`form.support input[name=subject]`), "Ødelagt vare"),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const a = document.querySelector("form.support textarea[name=message]");
			a.focus();
			document.execCommand("insertText", false, %q);
		})()`, message)),
		chromedp.Evaluate[chromedp.Void](`window.__e2eSamePage = true`),
		chromedp.Click(chromedp.CSS(`form.support button[type=submit]`)),
		waitFor(fmt.Sprintf(`(() => {
			const e = document.querySelector("form.support #err-body"), a = document.querySelector("form.support textarea[name=message]");
			return !!e && e.textContent === %q && a.getAttribute("aria-invalid") === "true" && document.activeElement === a;
		})()`, en.T("error.too_large.body.too_long"))),
	)
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`window.__e2eSamePage === true &&
		document.querySelector("form.support textarea[name=message]").value === %q &&
		document.querySelector("form.support input[name=subject]").value === "Ødelagt vare"`, message)))
	if err != nil {
		t.Fatal(err)
	}
	if !kept {
		t.Fatal("the page was left or the customer's text was lost")
	}
	if posts != 0 {
		t.Fatalf("%d posts", posts)
	}
}
