package store_test

import (
	"context"
	"testing"

	"coachdesk/internal/desk"
)

func TestUserNamesLoseBidiControls(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, desk.User{Name: " Bj\u202eørn\u202c Ås\x00 ", Email: "bjorn@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Bjørn Ås" {
		t.Errorf("name %q", u.Name)
	}
	_, err = s.CreateUser(ctx, desk.User{Name: "\u200b\u2066\u2069", Email: "blank@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x"})
	if e, ok := desk.AsError(err); !ok || e.Field != "name" || e.Code != desk.EINVALID {
		t.Errorf("invisible name: got %v", err)
	}
}

// A new user's problems come together: an empty name, a taken e-mail (in any case) and a bad role.
func TestNewUserProblemsComeTogether(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	mustUser(t, s, "taken@coachdesk.test", desk.RoleAgent)
	_, err := s.CreateUser(ctx, desk.User{Name: " ", Email: "Taken@Coachdesk.test", Role: "boss", PasswordHash: "x"})
	fields := map[string]string{}
	for _, e := range problems(err) {
		fields[e.Field] = e.Code
	}
	if fields["name"] != desk.EINVALID || fields["email"] != desk.ECONFLICT || fields["role"] != desk.EINVALID {
		t.Errorf("problems %v, want name, a taken email and role together", fields)
	}
	if u, err := s.UserByEmail(ctx, " TAKEN@coachdesk.test"); err != nil || u.Email != "taken@coachdesk.test" {
		t.Errorf("finding a user by e-mail ignores case: %v %v", u.Email, err)
	}
}
