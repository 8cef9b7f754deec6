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
