package store_test

import (
	"context"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// A reset code sets a password once, ends the user's sessions and is kept only as a hash.
func TestResetCodeWorksOnce(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	admin := mustUser(t, s, "boss@coachdesk.test", desk.RoleAdmin)
	u := mustUser(t, s, "sofie@coachdesk.test", desk.RoleAgent)

	code, expires, err := s.CreateReset(ctx, u.ID, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(expires); d < store.ResetValidity-time.Minute || d > store.ResetValidity {
		t.Errorf("the code expires in %v, want %v", d, store.ResetValidity)
	}
	var stored int
	if err := s.SessionDB().QueryRow(s.Rebind(`SELECT count(*) FROM password_resets WHERE code_hash = ?`), code).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("the code is stored as it is (%d rows, %v)", stored, err)
	}
	if who, status, err := s.CheckReset(ctx, code); err != nil || status != store.ResetValid || who.ID != u.ID {
		t.Fatalf("check a fresh code: %v %v %v", who.Email, status, err)
	}
	who, status, err := s.UseReset(ctx, code, "new-hash")
	if err != nil || status != store.ResetValid || who.ID != u.ID {
		t.Fatalf("use a fresh code: %v %v %v", who.Email, status, err)
	}
	after, _ := s.UserByID(ctx, u.ID)
	if after.PasswordHash != "new-hash" || after.SessionEpoch != u.SessionEpoch+1 {
		t.Errorf("after the reset: hash %q, epoch %d (was %d)", after.PasswordHash, after.SessionEpoch, u.SessionEpoch)
	}
	if _, status, err := s.UseReset(ctx, code, "second-hash"); err != nil || status != store.ResetUsed {
		t.Errorf("second use: %v %v, want used", status, err)
	}
	if again, _ := s.UserByID(ctx, u.ID); again.PasswordHash != "new-hash" {
		t.Errorf("a used code changed the password again: %q", again.PasswordHash)
	}
	if _, status, _ := s.CheckReset(ctx, "not-a-code"); status != store.ResetUnknown {
		t.Errorf("an unknown code: %v", status)
	}
}

// A code stops working when it expires, and when a newer one is issued for the same user.
func TestResetCodeExpiresAndIsReplaced(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "sofie@coachdesk.test", desk.RoleAgent)
	now := time.Now().UTC()
	s.SetClock(func() time.Time { return now })

	first, _, err := s.CreateReset(ctx, u.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := s.CreateReset(ctx, u.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, status, _ := s.CheckReset(ctx, first); status != store.ResetUnknown {
		t.Errorf("the replaced code: %v, want unknown", status)
	}
	now = now.Add(store.ResetValidity)
	if _, status, _ := s.UseReset(ctx, second, "late-hash"); status != store.ResetExpired {
		t.Errorf("a code at its expiry: %v, want expired", status)
	}
	if after, _ := s.UserByID(ctx, u.ID); after.PasswordHash == "late-hash" {
		t.Error("an expired code set the password")
	}
	if _, _, err := s.CreateReset(ctx, 9999, 0); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("a code for no user: %v", err)
	}
}

// A changed name and e-mail are kept; another user's e-mail is a conflict on email, any case.
func TestUpdateProfile(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	mustUser(t, s, "taken@coachdesk.test", desk.RoleAgent)
	u := mustUser(t, s, "old@coachdesk.test", desk.RoleAgent)

	got, err := s.UpdateProfile(ctx, u.ID, " Sofie\u202e Lund ", "sofie@coachdesk.test")
	if err != nil || got.Name != "Sofie Lund" || got.Email != "sofie@coachdesk.test" {
		t.Fatalf("update: %+v %v", got, err)
	}
	if _, err := s.UpdateProfile(ctx, u.ID, "Sofie", "Taken@coachdesk.test"); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Errorf("a taken e-mail: %v, want a conflict", err)
	} else if e, _ := desk.AsError(err); e.Field != "email" {
		t.Errorf("a taken e-mail names %q", e.Field)
	}
	_, err = s.UpdateProfile(ctx, u.ID, "\u200b", "nope")
	fields := map[string]bool{}
	for _, e := range problems(err) {
		fields[e.Field] = true
	}
	if !fields["name"] || !fields["email"] {
		t.Errorf("an empty name and a bad e-mail report %v, want both", err)
	}
	if kept, _ := s.UserByID(ctx, u.ID); kept.Email != "sofie@coachdesk.test" {
		t.Errorf("a refused change was kept: %+v", kept)
	}
}

// ChangePassword returns the new epoch, so the session that changed it can go on under it.
func TestChangePasswordReturnsTheNewEpoch(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "sofie@coachdesk.test", desk.RoleAgent)
	epoch, err := s.ChangePassword(ctx, u.ID, "h2")
	if err != nil || epoch != u.SessionEpoch+1 {
		t.Fatalf("epoch %d, %v; want %d", epoch, err, u.SessionEpoch+1)
	}
}

// problems lists every problem in err: the first and those it carries.
func problems(err error) []*desk.Error {
	e, ok := desk.AsError(err)
	if !ok {
		return nil
	}
	return append([]*desk.Error{e}, e.Also...)
}
