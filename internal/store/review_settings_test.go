package store

import (
	"context"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

// A new database starts with the defaults the code had before they became settings.
func TestReviewSettingsDefaults(t *testing.T) {
	f := newCoachFixture(t)
	rs, err := f.s.ReviewSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := desk.ReviewSettings{MinLower: 0.90, MinVerdicts: 50, SampleShare: 10, DisputeDays: 2}
	if rs != want || rs != desk.DefaultReviewSettings() {
		t.Fatalf("fresh settings %+v, want %+v", rs, want)
	}
}

// An admin's save is kept with who and when; values out of range are refused all at once, by field, and change nothing.
func TestReviewSettingsSaveAndValidate(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	admin, err := f.s.CreateUser(ctx, desk.User{Name: "Ada Admin", Email: "ada@coachdesk.test", Role: desk.RoleAdmin, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	f.clock = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	in := desk.ReviewSettings{MinLower: 0.95, MinVerdicts: 80, SampleShare: 25, DisputeDays: 5}
	if err := f.s.SaveReviewSettings(ctx, in, admin.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.ReviewSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.MinLower != 0.95 || got.MinVerdicts != 80 || got.SampleShare != 25 || got.DisputeDays != 5 ||
		got.UpdatedBy != "Ada Admin" || !got.UpdatedAt.Equal(f.clock) {
		t.Fatalf("saved %+v, read back %+v", in, got)
	}

	// The edges are allowed.
	for _, ok := range []desk.ReviewSettings{
		{MinLower: 0.5, MinVerdicts: 10, SampleShare: 0, DisputeDays: 1},
		{MinLower: 0.99, MinVerdicts: 1000, SampleShare: 50, DisputeDays: 20},
	} {
		if err := f.s.SaveReviewSettings(ctx, ok, admin.ID); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}

	bad := desk.ReviewSettings{MinLower: 0.4, MinVerdicts: 5, SampleShare: 51, DisputeDays: 0}
	err = f.s.SaveReviewSettings(ctx, bad, admin.ID)
	e, ok := desk.AsError(err)
	if !ok || e.Code != desk.EINVALID {
		t.Fatalf("out of range: %v, want invalid", err)
	}
	fields := map[string]bool{}
	for _, p := range append([]*desk.Error{e}, e.Also...) {
		fields[p.Field] = true
	}
	for _, want := range []string{"min_lower", "min_verdicts", "sample_share", "dispute_days"} {
		if !fields[want] {
			t.Errorf("no problem named %s in %v", want, err)
		}
	}
	for _, one := range []desk.ReviewSettings{
		{MinLower: 0.995, MinVerdicts: 50, SampleShare: 10, DisputeDays: 2},
		{MinLower: 0.9, MinVerdicts: 1001, SampleShare: 10, DisputeDays: 2},
		{MinLower: 0.9, MinVerdicts: 50, SampleShare: -1, DisputeDays: 2},
		{MinLower: 0.9, MinVerdicts: 50, SampleShare: 10, DisputeDays: 21},
	} {
		if err := f.s.SaveReviewSettings(ctx, one, admin.ID); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("%+v: %v, want invalid", one, err)
		}
	}
	got, _ = f.s.ReviewSettings(ctx)
	if got.MinLower != 0.99 || got.DisputeDays != 20 {
		t.Errorf("a refused save changed the settings: %+v", got)
	}
	var changes int
	if err := f.s.r.Raw("SELECT COUNT(*) FROM review_settings_log WHERE actor_id = ?", admin.ID).Scan(&changes).Error; err != nil || changes != 3 {
		t.Errorf("%d changes logged (%v), want 3", changes, err)
	}
}

// The table holds one row: the database refuses a second, and values the form would refuse.
func TestReviewSettingsIsOneRow(t *testing.T) {
	f := newCoachFixture(t)
	if err := f.s.w.Exec("INSERT INTO review_settings (id) VALUES (2)").Error; err == nil {
		t.Error("a second settings row was taken")
	}
	if err := f.s.w.Exec("INSERT INTO review_settings (id) VALUES (1)").Error; err == nil {
		t.Error("the seeded row was inserted twice")
	}
	if err := f.s.w.Exec("UPDATE review_settings SET min_lower = 1.5").Error; err == nil {
		t.Error("a lower bound of 1.5 was stored")
	}
	var n int
	if err := f.s.r.Raw("SELECT COUNT(*) FROM review_settings").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("%d settings rows (%v), want 1", n, err)
	}
	// Saving twice updates the one row.
	for range 2 {
		if err := f.s.SaveReviewSettings(context.Background(), desk.DefaultReviewSettings(), f.anna.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.r.Raw("SELECT COUNT(*) FROM review_settings").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("%d settings rows after two saves (%v), want 1", n, err)
	}
}

// The queue's default random share is the setting's: desk.SampleConfigured follows it, an explicit share wins.
func TestQueueShareFollowsTheSetting(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	for range 60 {
		f.reply(t, f.clock.Add(time.Minute), f.bo, desk.Coaching{Lang: "da", Score: 100})
	}
	count := func(share int) int {
		t.Helper()
		n, err := f.s.ReviewCount(ctx, desk.ReviewFilter{SampleRate: share})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count(desk.SampleConfigured) != count(10) {
		t.Error("the configured share is not the default 10 %")
	}
	if err := f.s.SaveReviewSettings(ctx, desk.ReviewSettings{MinLower: 0.9, MinVerdicts: 50, SampleShare: 0, DisputeDays: 2}, f.anna.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(desk.SampleConfigured); n != 0 {
		t.Errorf("with a 0 %% share, %d replies without findings are queued", n)
	}
	if err := f.s.SaveReviewSettings(ctx, desk.ReviewSettings{MinLower: 0.9, MinVerdicts: 50, SampleShare: 50, DisputeDays: 2}, f.anna.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := count(desk.SampleConfigured), count(50); got != want || got == 0 {
		t.Errorf("with a 50 %% share, %d queued, want %d", got, want)
	}
	if items, err := f.s.ReviewQueue(ctx, desk.ReviewFilter{SampleRate: desk.SampleConfigured, Limit: 200}); err != nil || len(items) != count(50) {
		t.Errorf("the queue lists %d (%v), the count says %d", len(items), err, count(50))
	}
	if n := count(100); n != 60 {
		t.Errorf("an explicit 100 %% share queues %d, want 60", n)
	}
}

// The dispute deadline follows the setting: five working days let a dispute through that two would stop.
func TestDisputeDeadlineFollowsTheSetting(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	lead, _ := f.s.CreateUser(ctx, desk.User{Name: "lea", Email: "lea@coachdesk.test", Role: desk.RoleLead, PasswordHash: "x"})
	friday := time.Date(2026, 3, 6, 15, 0, 0, 0, time.UTC)
	m := f.reply(t, friday, f.anna, desk.Coaching{Lang: "da", Findings: []desk.CoachFinding{
		{Rule: "blame", Severity: "error", Start: 0, End: 3, Text: "Hej"},
		{Rule: "weak-word", Severity: "warning", Start: 4, End: 8, Text: "Jens"},
	}})
	first, second := m.Coaching.Findings[0].ID, m.Coaching.Findings[1].ID
	for _, id := range []int64{first, second} {
		if err := f.s.SetVerdict(ctx, id, lead.ID, desk.VerdictConfirmed); err != nil {
			t.Fatal(err)
		}
	}
	f.clock = time.Date(2026, 3, 12, 14, 0, 0, 0, time.UTC) // Thursday after: four working days on
	if err := f.s.Dispute(ctx, first, f.anna.ID, "Forkert."); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("a dispute after four working days with two allowed: %v, want conflict", err)
	}
	if err := f.s.SaveReviewSettings(ctx, desk.ReviewSettings{MinLower: 0.9, MinVerdicts: 50, SampleShare: 10, DisputeDays: 5}, lead.ID); err != nil {
		t.Fatal(err)
	}
	found, err := f.s.ConfirmedFindings(ctx, f.anna.ID, 10)
	if err != nil || len(found) != 2 {
		t.Fatalf("confirmed findings %v (%v)", found, err)
	}
	if want := time.Date(2026, 3, 13, 15, 0, 0, 0, time.UTC); !found[0].Deadline.Equal(want) {
		t.Errorf("deadline %s, want %s (five working days after Friday 15:00)", found[0].Deadline, want)
	}
	if err := f.s.Dispute(ctx, first, f.anna.ID, "Forkert."); err != nil {
		t.Fatalf("a dispute on the fourth of five working days: %v", err)
	}
	f.clock = time.Date(2026, 3, 13, 16, 0, 0, 0, time.UTC) // past Friday 15:00, the fifth working day
	if err := f.s.Dispute(ctx, second, f.anna.ID, "Forkert."); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("a dispute after five working days: %v, want conflict", err)
	}
}

// Every migration goes down and up again, the settings' too, and the seeded row comes back with the defaults.
func TestMigrationsGoDownAndUp(t *testing.T) {
	pgtest.SQLiteOnly(t, "it walks SQLite's migration versions; TestPostgresMigrationsGoDownAndUp walks PostgreSQL's")
	ctx := context.Background()
	f := newCoachFixture(t)
	admin, _ := f.s.CreateUser(ctx, desk.User{Name: "ada", Email: "ada@coachdesk.test", Role: desk.RoleAdmin, PasswordHash: "x"})
	if err := f.s.SaveReviewSettings(ctx, desk.ReviewSettings{MinLower: 0.8, MinVerdicts: 20, SampleShare: 5, DisputeDays: 3}, admin.ID); err != nil {
		t.Fatal(err)
	}
	p := migrator(t, f.s)
	if _, err := p.DownTo(ctx, 15); err != nil {
		t.Fatal(err)
	}
	if err := f.s.r.Exec("SELECT 1 FROM review_settings").Error; err == nil {
		t.Error("review_settings outlived its migration's Down")
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	rs, err := f.s.ReviewSettings(ctx)
	if err != nil || rs != desk.DefaultReviewSettings() {
		t.Fatalf("after down and up: %+v (%v), want the defaults", rs, err)
	}
}
