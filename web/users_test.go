package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit"
)

// An admin changes roles and blocks sign-in; a blocked user's session and API token stop working at once.
func TestAdminManagesAccess(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	mikkel := e.SignIn("mikkel@coachdesk.test")
	api := e.API("mikkel@coachdesk.test")
	path := "/admin/users/" + strconv.FormatInt(e.Agent2.ID, 10)

	admin.Get("/admin/users")
	if r := admin.Post(path, url.Values{"role": {"lead"}, "active": {"1"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("promote: status %d\n%s", r.Status, excerpt(r.Body))
	}
	if u, _ := e.Store.UserByID(context.Background(), e.Agent2.ID); u.Role != desk.RoleLead || !u.Active {
		t.Fatalf("after promotion: %+v", u)
	}

	admin.Get("/admin/users")
	if r := admin.Post(path, url.Values{"role": {"lead"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("block: status %d", r.Status)
	}
	if r := mikkel.Get("/inbox"); r.Status != http.StatusSeeOther {
		t.Errorf("a blocked user's session still opens the inbox: %d", r.Status)
	}
	if r := api.Do(http.MethodGet, "/api/v1/tickets", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a blocked user's token still works: %d", r.Status)
	}
	if users, _ := e.Store.Agents(context.Background()); len(users) != 3 {
		t.Errorf("a blocked user can still be assigned: %d assignable", len(users))
	}

	// The last active admin cannot lose the role, and nobody changes their own access here.
	self := "/admin/users/" + strconv.FormatInt(e.Admin.ID, 10)
	admin.Get("/admin/users")
	r := admin.Post(self, url.Values{"role": {"agent"}, "active": {"1"}})
	if r.Status != http.StatusConflict {
		t.Fatalf("own access: status %d, want 409", r.Status)
	}
	mustContain(t, "own access", r.Body, `class="alert`)
	if err := e.Store.UpdateUser(context.Background(), e.Admin.ID, desk.RoleAgent, true); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Errorf("demoting the last admin: %v, want a conflict", err)
	}
	agent := e.SignIn("anna@coachdesk.test")
	agent.Get("/inbox")
	if r := agent.Post(path, url.Values{"role": {"admin"}, "active": {"1"}}); r.Status != http.StatusForbidden {
		t.Errorf("an agent changed access: status %d, want 403", r.Status)
	}
}

// An admin edits a user's name and e-mail; a taken e-mail is named beside the field, the text kept.
func TestAdminEditsNameAndEmail(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	path := "/admin/users/" + strconv.FormatInt(e.Agent2.ID, 10)
	if r := admin.Get(path); r.Status != http.StatusOK || !strings.Contains(r.Body, `value="mikkel@coachdesk.test"`) {
		t.Fatalf("the user's page: %d\n%s", r.Status, excerpt(r.Body))
	}
	r := admin.Post(path+"/profile", url.Values{"name": {"Mikkel Holm"}, "email": {"Mikkel.Holm@coachdesk.test"}})
	if r.Status != http.StatusSeeOther || r.Location() != path+"?saved=1" {
		t.Fatalf("save: %d → %q\n%s", r.Status, r.Location(), excerpt(r.Body))
	}
	u, _ := e.Store.UserByID(context.Background(), e.Agent2.ID)
	if u.Name != "Mikkel Holm" || u.Email != "mikkel.holm@coachdesk.test" {
		t.Errorf("stored: %q %q", u.Name, u.Email)
	}
	e.Client().SignIn("Mikkel.Holm@coachdesk.test", testkit.Password)

	admin.Get(path)
	r = admin.Post(path+"/profile", url.Values{"name": {"\u200b"}, "email": {"anna@coachdesk.test"}})
	if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusConflict {
		t.Fatalf("a taken e-mail and an empty name: %d", r.Status)
	}
	if msg := besideField(r.Body, "email"); !strings.Contains(msg, "already exists") {
		t.Errorf("beside the e-mail: %q", msg)
	}
	if besideField(r.Body, "name") == "" {
		t.Error("the empty name is not shown beside its field with the taken e-mail")
	}
	if inputValue(r.Body, "email") != "anna@coachdesk.test" {
		t.Errorf("the typed e-mail was lost: %q", inputValue(r.Body, "email"))
	}
	if u, _ := e.Store.UserByID(context.Background(), e.Agent2.ID); u.Email != "mikkel.holm@coachdesk.test" {
		t.Errorf("a refused edit changed the e-mail to %q", u.Email)
	}
}

// Adding a user shows a taken e-mail and a short password together, not one hiding the other.
func TestAddUserShowsEveryProblem(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	admin.Get("/admin/users")
	r := admin.Post("/admin/users", url.Values{"name": {"Ny Kollega"}, "email": {"anna@coachdesk.test"}, "role": {"agent"}, "password": {"short"}})
	if besideField(r.Body, "email") == "" || besideField(r.Body, "password") == "" {
		t.Errorf("status %d; beside e-mail %q, beside password %q", r.Status, besideField(r.Body, "email"), besideField(r.Body, "password"))
	}
	if inputValue(r.Body, "name") != "Ny Kollega" {
		t.Error("the typed name was lost")
	}
}
