package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
)

// An agent changes their password on /account: a wrong current one is named beside its field and the
// new one typed twice is kept; then the new one signs in and the old one is refused.
func TestUserChangesPasswordInTheBrowser(t *testing.T) {
	execPath := needChromium(t)
	base, _, logins := startServer(t)
	agent := agentLogins(t, logins)[0]
	const fresh = "my-own-brand-new-password"
	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, agent)

	step(t, ctx, "open the account page",
		chromedp.Navigate(base+"/account"),
		waitFor(`location.pathname === "/account" && document.querySelector("#password-form") !== null && `+settled),
	)
	step(t, ctx, "a wrong current password",
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=current_password]`), "surely-not-it"),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=new_password]`), fresh),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=new_password_repeat]`), fresh+kb.Enter),
		waitFor(fmt.Sprintf(`document.querySelector("#err-current_password") !== null &&
			document.querySelector("#password-form input[name=new_password]").value === %q &&
			document.querySelector("#password-form input[name=new_password_repeat]").value === %q && `+settled, fresh, fresh)),
	)
	step(t, ctx, "the right current password",
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=current_password]`), agent.Password+kb.Enter),
		waitFor(`location.pathname === "/account" && location.search === "?password=1" && document.querySelector(".alert-ok") !== null`),
	)
	step(t, ctx, "still signed in here",
		chromedp.Navigate(base+"/inbox"),
		waitFor(`location.pathname === "/inbox" && `+settled),
	)

	other := newBrowser(t, execPath) // its own profile and cookies, as on another device
	step(t, other, "the old password is refused",
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), agent.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), agent.Password+kb.Enter),
		waitFor(`location.pathname === "/signin" && document.querySelector(".alert-error") !== null`),
	)
	signIn(t, other, base, demo.Login{Email: agent.Email, Password: fresh, Role: agent.Role})
}

// An admin makes a reset link; the user opens it in a browser of their own without signing in, sets
// a new password and signs in with it; the link then says it was used.
func TestAdminResetsAPasswordInTheBrowser(t *testing.T) {
	execPath := needChromium(t)
	base, st, logins := startServer(t)
	var admin demo.Login
	for _, l := range logins {
		if l.Role == desk.RoleAdmin {
			admin = l
		}
	}
	agent := agentLogins(t, logins)[1]
	target := userOf(t, st, agent)
	const fresh = "reset-by-the-admin-ok"

	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, admin)
	step(t, ctx, "make a reset link",
		chromedp.Navigate(fmt.Sprintf("%s/admin/users/%d", base, target.ID)),
		waitFor(`document.querySelector("#make-reset") !== null && `+settled),
		chromedp.Click(chromedp.CSS(`#make-reset`)),
		waitFor(`document.querySelector("#reset-link input[data-secret]") !== null`),
	)
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#reset-link input[data-secret]").value`))
	if err != nil {
		t.Fatal(err)
	}

	user := newBrowser(t, execPath) // the user's own browser: no session, no cookies
	step(t, user, "open the link and set a new password",
		chromedp.Navigate(link),
		waitFor(`document.querySelector("#reset input[name=new_password]") !== null`),
		chromedp.SendKeys(chromedp.CSS(`#reset input[name=new_password]`), fresh),
		chromedp.SendKeys(chromedp.CSS(`#reset input[name=new_password_repeat]`), fresh+kb.Enter),
		waitFor(`document.querySelector("[data-reset=done]") !== null`),
	)
	signIn(t, user, base, demo.Login{Email: agent.Email, Password: fresh, Role: agent.Role})
	step(t, user, "the link refuses a second use",
		chromedp.Navigate(link),
		waitFor(`document.querySelector("[data-reset=used]") !== null && document.querySelector("#reset input[name=new_password]") === null`),
	)
}
