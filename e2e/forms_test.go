package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"coachdesk/internal/demo"
	"coachdesk/internal/desk"
)

// Every form with several mistakes shows all of them at once after one press, each beside its
// field, and keeps what was typed: the browser's own one-bubble-at-a-time check does not stand in.
func TestFormsShowEveryErrorAtOnce(t *testing.T) {
	execPath := needChromium(t)
	base, _, logins := startServer(t)
	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, loginWithRole(t, logins, desk.RoleLead))

	errorsShown := func(fields ...string) string {
		var checks []string
		for _, f := range fields {
			checks = append(checks, `document.getElementById("err-`+f+`") !== null && document.getElementById("err-`+f+`").innerText.trim() !== ""`)
		}
		return strings.Join(checks, " && ")
	}

	step(t, ctx, "the new-ticket form with four mistakes",
		chromedp.Navigate(base+"/tickets/new"),
		waitFor(`document.querySelector("form[action='/tickets']") !== null && `+settled),
		chromedp.SendKeys(chromedp.CSS(`input[name=customer_email]`), "ida@"),
		chromedp.SendKeys(chromedp.CSS(`input[name=tags]`), "ikke ok!"),
		chromedp.Click(chromedp.CSS(`form[action='/tickets'] button[type=submit]`)),
		waitFor(errorsShown("subject", "body", "customer.name", "customer.email", "tags")+
			` && document.querySelector("input[name=customer_email]").value === "ida@"`),
	)

	step(t, ctx, "the saved-reply form with two mistakes",
		chromedp.Navigate(base+"/saved-replies"),
		waitFor(`document.querySelector("#saved-reply-form") !== null && `+settled),
		chromedp.SetValue(chromedp.CSS(`#saved-reply-form input[name=title]`), strings.Repeat("å", desk.MaxReplyName+1)),
		chromedp.Click(chromedp.CSS(`#saved-reply-form .actions .btn-primary`)),
		waitFor(errorsShown("title", "body")),
	)

	step(t, ctx, "the password form with three mistakes",
		chromedp.Navigate(base+"/account"),
		waitFor(`document.querySelector("#password-form") !== null && `+settled),
		chromedp.SetValue(chromedp.CSS(`#password-form input[name=new_password]`), "kort"),
		chromedp.SetValue(chromedp.CSS(`#password-form input[name=new_password_repeat]`), "andet"),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit], #password-form .btn-primary`)),
		waitFor(errorsShown("current_password", "new_password")),
	)

	step(t, ctx, "the public support form with three mistakes",
		chromedp.Navigate(base+"/support"),
		waitFor(`document.querySelector("form.support") !== null && `+settled),
		chromedp.SendKeys(chromedp.CSS(`form.support textarea[name=message]`), "Min pakke er ikke kommet frem."),
		chromedp.Click(chromedp.CSS(`form.support button[type=submit]`)),
		waitFor(errorsShown("customer.name", "customer.email", "subject")+
			` && document.querySelector("form.support textarea[name=message]").value === "Min pakke er ikke kommet frem."`),
	)
}

// loginWithRole is the first demo login with role.
func loginWithRole(t *testing.T, logins []demo.Login, role desk.Role) demo.Login {
	t.Helper()
	for _, l := range logins {
		if l.Role == role {
			return l
		}
	}
	t.Fatalf("the demo data has no %s", role)
	return demo.Login{}
}

// The admin's add-user form shows a missing name, a bad e-mail and a short password together.
func TestAddUserFormShowsEveryErrorAtOnce(t *testing.T) {
	execPath := needChromium(t)
	base, _, logins := startServer(t)
	ctx := newBrowser(t, execPath)
	signIn(t, ctx, base, loginWithRole(t, logins, desk.RoleAdmin))
	step(t, ctx, "the add-user form with three mistakes",
		chromedp.Navigate(base+"/admin/users"),
		waitFor(`document.querySelector("form[action='/admin/users']") !== null && `+settled),
		chromedp.SendKeys(chromedp.CSS(`form[action='/admin/users'] input[name=email]`), "ny@"),
		chromedp.SendKeys(chromedp.CSS(`form[action='/admin/users'] input[name=password]`), "kort"),
		chromedp.Click(chromedp.CSS(`form[action='/admin/users'] .btn-primary`)),
		waitFor(`["name", "email", "password"].every((f) => (document.getElementById("err-" + f) || {}).innerText)`+
			` && document.querySelector("form[action='/admin/users'] input[name=email]").value === "ny@"`),
	)
}
