package store

import (
	"context"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"coachdesk/internal/desk"
	"coachdesk/migrations"
)

// A known month adds up to exact dashboard figures: coaching per agent and week, fixed before
// sending, and the service figures from tickets, replies and the audit trail.
func TestDashboardFiguresAddUp(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	s := f.s
	mon := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday
	at := func(d time.Duration) time.Time { return mon.Add(d) }
	solved, open := desk.StatusSolved, desk.StatusOpen
	newTicket := func(when time.Time, assignee int64) desk.Ticket {
		t.Helper()
		f.clock = when
		tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "Sag", Body: "Hjælp", CustomerName: "Kunde", CustomerEmail: "k@example.dk"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateTicket(ctx, tk.Number, f.anna.ID, desk.Change{AssigneeID: &assignee}); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	reply := func(tk desk.Ticket, when time.Time, agent desk.User, score int, findings ...desk.CoachFinding) {
		t.Helper()
		f.clock = when
		if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Hej, men vi prøver igen i morgen, og det er en lang tekst her.", UserID: agent.ID,
			Coaching: &desk.Coaching{Lang: "da", Score: score, Findings: findings}}); err != nil {
			t.Fatal(err)
		}
	}
	change := func(tk desk.Ticket, when time.Time, st desk.Status) {
		t.Helper()
		f.clock = when
		if _, err := s.UpdateTicket(ctx, tk.Number, f.anna.ID, desk.Change{Status: &st}); err != nil {
			t.Fatal(err)
		}
	}
	weak := desk.CoachFinding{Rule: "weak-word", Severity: "warning", Start: 17, End: 23, Text: "prøver"}
	but := desk.CoachFinding{Rule: "no-but", Severity: "error", Start: 5, End: 8, Text: "men"}

	// Ticket 1: anna answers after 1 h and solves it: first-contact resolution.
	t1 := newTicket(at(0), f.anna.ID)
	reply(t1, at(time.Hour), f.anna, 80, weak)
	change(t1, at(2*time.Hour), solved)
	// Ticket 2: anna answers after 3 h with two replies, solves; the customer reopens within a day.
	t2 := newTicket(at(0), f.anna.ID)
	reply(t2, at(3*time.Hour), f.anna, 60, weak, but)
	reply(t2, at(4*time.Hour), f.anna, 100)
	change(t2, at(5*time.Hour), solved)
	change(t2, at(20*time.Hour), open)
	// Ticket 3: handed from anna to bo; bo answers it a week and 10 h later, after a draft that had two weak words.
	t3 := newTicket(at(0), f.anna.ID)
	bo := f.bo.ID
	if _, err := s.UpdateTicket(ctx, t3.Number, f.anna.ID, desk.Change{AssigneeID: &bo}); err != nil {
		t.Fatal(err)
	}
	f.clock = at(7*24*time.Hour + time.Hour)
	if _, _, err := s.SaveDraft(ctx, desk.Draft{TicketID: t3.ID, UserID: f.bo.ID, Body: "Vi prøver måske", Rev: 1, Seen: map[string]int{"weak-word": 2, "no-but": 1}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SaveDraft(ctx, desk.Draft{TicketID: t3.ID, UserID: f.bo.ID, Body: "Vi prøver", Rev: 2, Seen: map[string]int{"weak-word": 1}}); err != nil {
		t.Fatal(err)
	}
	reply(t3, at(7*24*time.Hour+10*time.Hour), f.bo, 90, weak)

	d, err := s.Dashboard(ctx, desk.DashboardQuery{From: mon, To: mon.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	team := d.Team
	if team.Replies != 4 || team.AvgScore != 82.5 || team.Findings != 4 || team.ByRule["weak-word"] != 3 || team.ByRule["no-but"] != 1 ||
		team.WithWarning != 3 || team.Fixed != 2 {
		t.Fatalf("team figures %+v", team)
	}
	if got := team.Per100(team.Fixed); got != 50 {
		t.Errorf("fixed per 100 replies %v, want 50", got)
	}
	if len(d.Weeks) != 2 || !d.Weeks[0].Start.Equal(mon.Truncate(24*time.Hour)) || d.Weeks[0].Replies != 3 || d.Weeks[1].Replies != 1 || d.Weeks[1].Fixed != 2 {
		t.Fatalf("weeks %+v", d.Weeks)
	}
	sv := d.Service
	// the histogram's bars are whole days past a week: 178 h counts as 7 days (migration 00017)
	if sv.FirstResponses != 3 || sv.FirstResponseP50 != 3*time.Hour || sv.FirstResponseP90 != 168*time.Hour {
		t.Errorf("first responses %d, p50 %v, p90 %v; want 3, 3h, 168h", sv.FirstResponses, sv.FirstResponseP50, sv.FirstResponseP90)
	}
	if sv.Solved != 2 || sv.FirstContact != 1 || sv.Reopened != 1 || sv.Tickets != 3 || sv.Handoffs != 1 {
		t.Errorf("service %+v", sv)
	}
	if len(d.Agents) != 2 || d.Agents[0].Name != "anna" || d.Agents[0].Replies != 3 || d.Agents[1].Fixed != 2 || d.Agents[1].Service.FirstResponses != 1 {
		t.Fatalf("agents %+v", d.Agents)
	}

	only, err := s.Dashboard(ctx, desk.DashboardQuery{AgentID: f.bo.ID, From: mon, To: mon.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	if only.Team.Replies != 1 || len(only.Agents) != 1 || only.Service.FirstResponses != 1 || only.Service.Handoffs != 1 {
		t.Fatalf("bo alone: %+v", only)
	}
}

// Reopens correct the day of the solve they undo: within 7 days first contact is lost, later it
// stands. A ticket that arrives unassigned counts for the agent it reaches, and as a handoff only
// for the agent after them. Rebuilding the rollups from the history (migration 00015 down and up)
// gives the figures the triggers kept.
func TestServiceFiguresFollowReopensAndHandoffs(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	s := f.s
	mon := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { f.clock = mon.Add(d); return f.clock }
	day := 24 * time.Hour
	ticket := func() desk.Ticket {
		t.Helper()
		at(0)
		tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "Sag", Body: "Hjælp", CustomerName: "Kunde", CustomerEmail: "k@example.dk"})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	do := func(tk desk.Ticket, when time.Duration, c desk.Change) {
		t.Helper()
		at(when)
		if _, err := s.UpdateTicket(ctx, tk.Number, f.anna.ID, c); err != nil {
			t.Fatal(err)
		}
	}
	reply := func(tk desk.Ticket, when time.Duration, agent desk.User) {
		t.Helper()
		at(when)
		if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Hej, tak for din besked. Pakken er sendt i dag.", UserID: agent.ID}); err != nil {
			t.Fatal(err)
		}
	}
	customer := func(tk desk.Ticket, when time.Duration) {
		t.Helper()
		at(when)
		if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Den er ikke kommet endnu."}); err != nil {
			t.Fatal(err)
		}
	}
	solved, open := desk.StatusSolved, desk.StatusOpen
	anna, bo := f.anna.ID, f.bo.ID

	// 1: anna answers in 90 s, solves; the customer writes again after 8 days: first contact stands.
	t1 := ticket()
	do(t1, time.Minute, desk.Change{AssigneeID: &anna})
	reply(t1, 90*time.Second, f.anna)
	do(t1, time.Hour, desk.Change{Status: &solved})
	customer(t1, 9*day)
	// 2: unassigned, answered by bo after 5 h 3 min (no assignee), then given to anna, then bo:
	// anna's first, bo's a handoff; solved by bo, reopened by hand after 2 days: first contact lost.
	t2 := ticket()
	reply(t2, 5*time.Hour+3*time.Minute, f.bo)
	do(t2, 6*time.Hour, desk.Change{AssigneeID: &anna})
	do(t2, 7*time.Hour, desk.Change{AssigneeID: &bo})
	do(t2, 8*time.Hour, desk.Change{Status: &solved})
	do(t2, 2*day+8*time.Hour, desk.Change{Status: &open})
	do(t2, 3*day, desk.Change{Status: &solved})
	// 3: never answered, never assigned.
	ticket()

	check := func(when string) {
		t.Helper()
		d, err := s.Dashboard(ctx, desk.DashboardQuery{From: mon, To: mon.AddDate(0, 0, 14)})
		if err != nil {
			t.Fatal(err)
		}
		want := desk.ServiceFigures{FirstResponses: 2, FirstResponseP50: time.Minute, FirstResponseP90: 5 * time.Hour,
			Solved: 3, FirstContact: 1, Reopened: 2, Tickets: 3, Handoffs: 1}
		if d.Service != want {
			t.Errorf("%s: team %+v, want %+v", when, d.Service, want)
		}
		byName := map[string]desk.ServiceFigures{}
		for _, a := range d.Agents {
			byName[a.Name] = a.Service
		}
		if a := byName["anna"]; a.FirstResponses != 1 || a.Solved != 1 || a.FirstContact != 1 || a.Reopened != 1 || a.Tickets != 2 || a.Handoffs != 0 {
			t.Errorf("%s: anna %+v", when, a)
		}
		if b := byName["bo"]; b.FirstResponses != 1 || b.FirstResponseP50 != 5*time.Hour || b.Solved != 2 || b.FirstContact != 0 || b.Reopened != 1 || b.Tickets != 1 || b.Handoffs != 1 {
			t.Errorf("%s: bo %+v", when, b)
		}
		only, err := s.Dashboard(ctx, desk.DashboardQuery{AgentID: bo, From: mon, To: mon.AddDate(0, 0, 14)})
		if err != nil {
			t.Fatal(err)
		}
		if only.Service != byName["bo"] {
			t.Errorf("%s: bo alone %+v, in the team %+v", when, only.Service, byName["bo"])
		}
	}
	check("kept by the triggers")
	if migrateRollups(t, s) {
		check("rebuilt from the history")
	}
}

// migrateRollups takes the service rollups down and up again, so they are rebuilt from the history.
// PostgreSQL's schema starts with its rollups and has no history to rebuild them from: false.
func migrateRollups(t *testing.T, s *Store) bool {
	t.Helper()
	if s.d.pg {
		return false
	}
	p := migrator(t, s)
	if _, err := p.DownTo(context.Background(), 14); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(context.Background()); err != nil {
		t.Fatal(err)
	}
	return true
}

// migrator is goose over s's database and the embedded migrations, for tests that go down and up.
func migrator(t *testing.T, s *Store) *goose.Provider {
	t.Helper()
	sqlDB, _ := s.w.DB()
	dir, err := fs.Sub(migrations.FS, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, sqlDB, dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// First responses and findings by rule over five weeks, read for windows that start on every
// weekday and span from one day to a month: whole weeks come from the week rollups and the edge days
// from the day ones, and together they count each once, kept by the triggers and rebuilt by the
// migrations.
func TestRollupsAcrossWeeksAndEdgeDays(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	s := f.s
	start := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC) // a Wednesday
	// every wait is the floor of its own bar, so the percentiles are the waits themselves
	waits := []time.Duration{2 * time.Minute, 7 * time.Minute, 20 * time.Minute, 45 * time.Minute, 2 * time.Hour, 5 * time.Hour, 12 * time.Hour}
	type response struct {
		day      int
		wait     time.Duration
		findings int
	}
	var all []response
	for day := range 35 {
		w := waits[(day*3)%len(waits)]
		f.clock = start.AddDate(0, 0, day)
		tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: "Sag", Body: "Hjælp", CustomerName: "Kunde", CustomerEmail: "k@example.dk"})
		if err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.Add(w)
		c := desk.Coaching{Lang: "da", Score: 80}
		for i := range day%3 + 1 {
			c.Findings = append(c.Findings, finding("weak-word", "warning", i*5))
		}
		if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Hej, pakken er sendt i dag.", UserID: f.anna.ID, Coaching: &c}); err != nil {
			t.Fatal(err)
		}
		all = append(all, response{day, w, len(c.Findings)})
	}
	check := func(when string) {
		t.Helper()
		for from := range 7 {
			for _, days := range []int{1, 6, 7, 8, 13, 14, 20, 28} {
				var in []time.Duration
				findings := 0
				for _, r := range all {
					if r.day >= from && r.day < from+days {
						in = append(in, r.wait)
						findings += r.findings
					}
				}
				slices.Sort(in)
				q := desk.DashboardQuery{From: start.AddDate(0, 0, from), To: start.AddDate(0, 0, from+days)}
				d, err := s.Dashboard(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				p50 := in[max((50*len(in)+99)/100, 1)-1]
				if d.Service.FirstResponses != len(in) || d.Service.FirstResponseP50 != p50 {
					t.Errorf("%s, days %d–%d: %d responses, p50 %v; want %d, %v", when, from, from+days, d.Service.FirstResponses, d.Service.FirstResponseP50, len(in), p50)
				}
				if got := d.Team.ByRule["weak-word"]; got != findings || len(d.Agents) != 1 || d.Agents[0].ByRule["weak-word"] != findings {
					t.Errorf("%s, days %d–%d: %d weak words (agents %+v); want %d", when, from, from+days, got, d.Agents, findings)
				}
			}
		}
	}
	check("kept by the triggers")
	if migrateRollups(t, s) {
		check("rebuilt from the history")
	}
}
