package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"coachdesk/internal/testkit"
)

// besideField is the message shown beside a form field, or "" when there is none.
func besideField(body, field string) string {
	m := regexp.MustCompile(`<p class="field-error" id="err-` + regexp.QuoteMeta(field) + `"[^>]*>([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// inputValue is the value attribute of the named input, or "" when it has none.
func inputValue(body, name string) string {
	m := regexp.MustCompile(`<input[^>]*name="` + regexp.QuoteMeta(name) + `"[^>]*value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// A user changes their own password: the current one is required, every problem shows beside its
// field at once, and the change ends their other sessions while this one stays signed in.
func TestChangeOwnPassword(t *testing.T) {
	e := testkit.New(t)
	here := e.SignIn("anna@coachdesk.test")
	elsewhere := e.SignIn("anna@coachdesk.test")
	colleague := e.SignIn("mikkel@coachdesk.test")
	const fresh = "a-new-and-long-secret"

	if r := here.Get("/account"); r.Status != http.StatusOK {
		t.Fatalf("account page: %d", r.Status)
	}
	r := here.Post("/account/password", url.Values{"current_password": {"wrong-password"}, "new_password": {fresh}, "new_password_repeat": {fresh}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong current password: %d, want 422", r.Status)
	}
	if msg := besideField(r.Body, "current_password"); !strings.Contains(msg, "not your current password") {
		t.Errorf("beside the current password: %q", msg)
	}
	if inputValue(r.Body, "new_password") != fresh || inputValue(r.Body, "new_password_repeat") != fresh {
		t.Error("the new password typed twice was lost with a wrong current password")
	}
	if inputValue(r.Body, "current_password") != "" {
		t.Error("the wrong current password is sent back in the page")
	}

	r = here.Post("/account/password", url.Values{"current_password": {"nope"}, "new_password": {"short"}, "new_password_repeat": {"other"}})
	if besideField(r.Body, "current_password") == "" || !strings.Contains(besideField(r.Body, "new_password"), "10 characters") {
		t.Errorf("not every problem is shown at once:\n%s", excerpt(r.Body))
	}
	r = here.Post("/account/password", url.Values{"current_password": {testkit.Password}, "new_password": {fresh}, "new_password_repeat": {fresh + "x"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(besideField(r.Body, "new_password_repeat"), "not the same") {
		t.Errorf("a repeat that differs: %d %q", r.Status, besideField(r.Body, "new_password_repeat"))
	}
	if r := here.PostNoCSRF("/account/password", url.Values{"current_password": {testkit.Password}, "new_password": {fresh}, "new_password_repeat": {fresh}}); r.Status != http.StatusForbidden {
		t.Errorf("a change without the CSRF token: %d, want 403", r.Status)
	}

	r = here.Post("/account/password", url.Values{"current_password": {testkit.Password}, "new_password": {fresh}, "new_password_repeat": {fresh}})
	if r.Status != http.StatusSeeOther || r.Location() != "/account?password=1" {
		t.Fatalf("the change: %d → %q\n%s", r.Status, r.Location(), excerpt(r.Body))
	}
	if r := here.Get("/account?password=1"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Your password has been changed") {
		t.Errorf("the session that changed the password: %d", r.Status)
	}
	if r := elsewhere.Get("/inbox"); r.Status != http.StatusSeeOther {
		t.Errorf("another session of the same user still opens the inbox: %d", r.Status)
	}
	if r := colleague.Get("/inbox"); r.Status != http.StatusOK {
		t.Errorf("a colleague's session ended too: %d", r.Status)
	}
	old := e.Client()
	if r := old.Post("/signin", url.Values{"email": {"anna@coachdesk.test"}, "password": {testkit.Password}}); r.Status != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", r.Status)
	}
	e.Client().SignIn("anna@coachdesk.test", fresh)
}

// Every wrong current password counts, as at sign-in: a session left open is not a password oracle.
func TestChangePasswordGuessesAreLimited(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	c.Get("/account")
	var last *testkit.Response
	for range 6 {
		last = c.Post("/account/password", url.Values{"current_password": {"guess-guess"}, "new_password": {"another-long-one"}, "new_password_repeat": {"another-long-one"}})
	}
	if last.Status != http.StatusTooManyRequests || besideField(last.Body, "current_password") == "" {
		t.Errorf("the sixth wrong guess: %d, want 429 with a message beside the field", last.Status)
	}
}

// /account is for signed-in people; the admin pages are for admins.
func TestAccountPagesCheckRoles(t *testing.T) {
	e := testkit.New(t)
	anon := e.Client()
	if r := anon.Get("/account"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/signin") {
		t.Errorf("/account without a session: %d → %q", r.Status, r.Location())
	}
	agent := e.SignIn("anna@coachdesk.test")
	for _, path := range []string{"/admin/tokens", "/admin/users/" + itoa(e.Agent2.ID)} {
		if r := agent.Get(path); r.Status != http.StatusForbidden {
			t.Errorf("an agent opens %s: %d, want 403", path, r.Status)
		}
	}
	agent.Get("/account")
	for _, path := range []string{"/admin/tokens/1/revoke", "/admin/users/" + itoa(e.Agent2.ID) + "/profile", "/admin/users/" + itoa(e.Agent2.ID) + "/reset"} {
		if r := agent.Post(path, url.Values{"name": {"X"}, "email": {"x@coachdesk.test"}}); r.Status != http.StatusForbidden {
			t.Errorf("an agent posts to %s: %d, want 403", path, r.Status)
		}
	}
	admin := e.SignIn("admin@coachdesk.test")
	if r := admin.PostNoCSRF("/admin/users/"+itoa(e.Agent2.ID)+"/reset", nil); r.Status != http.StatusForbidden {
		t.Errorf("a reset without the CSRF token: %d, want 403", r.Status)
	}
}

// An agent keeps a signature for mailed replies on their account page: saved, shown again, and a
// too-long one refused beside the field with what was typed kept.
func TestAgentSetsTheirMailSignature(t *testing.T) {
	e := testkit.New(t)
	anna := e.SignIn("anna@coachdesk.test")
	mustContain(t, "account page", anna.Get("/account").Body, `id="signature-form"`, `action="/account/signature"`)
	if r := anna.Post("/account/signature", url.Values{"signature": {"Anna Agent\r\nKundeservice"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	mustContain(t, "after saving", anna.Get("/account?signature=1").Body, "Your signature has been saved.", ">Anna Agent\nKundeservice</textarea>")
	if sig, _ := e.Store.Signature(context.Background(), e.Agent.ID); sig != "Anna Agent\nKundeservice" {
		t.Errorf("stored %q", sig)
	}
	long := strings.Repeat("Anna Agent, Kundeservice\n", 12)
	r := anna.Post("/account/signature", url.Values{"signature": {long}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a 12-line signature: %d", r.Status)
	}
	mustContain(t, "refused", r.Body, `id="err-signature"`, "Keep the signature to 1000 characters and 10 lines.", "Anna Agent, Kundeservice\nAnna Agent")
	if sig, _ := e.Store.Signature(context.Background(), e.Agent.ID); sig != "Anna Agent\nKundeservice" {
		t.Errorf("a refused save changed the signature to %q", sig)
	}
	anna.Post("/account/signature", url.Values{"signature": {"  "}})
	if sig, _ := e.Store.Signature(context.Background(), e.Agent.ID); sig != "" {
		t.Errorf("an empty save left %q", sig)
	}
}
