package store

// An internal test: besides the API it checks the rows written and the plans of the exact SQL.

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

type coachFixture struct {
	s      *Store
	anna   desk.User
	bo     desk.User
	ticket desk.Ticket
	clock  time.Time
}

func newCoachFixture(t *testing.T) *coachFixture {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, pgtest.DB(t, filepath.Join(t.TempDir(), "coaching.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &coachFixture{s: s, clock: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	s.SetClock(func() time.Time { return f.clock })
	for _, u := range []*desk.User{&f.anna, &f.bo} {
		name := "anna"
		if u == &f.bo {
			name = "bo"
		}
		if *u, err = s.CreateUser(ctx, desk.User{Name: name, Email: name + "@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if f.ticket, err = s.CreateTicket(ctx, desk.NewTicket{Subject: "Pakke", Body: "Hvor er min pakke?", CustomerName: "Jens Hansen", CustomerEmail: "jens@example.dk"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// reply sends a coached reply at the given time.
func (f *coachFixture) reply(t *testing.T, at time.Time, agent desk.User, c desk.Coaching) desk.Message {
	t.Helper()
	f.clock = at
	m, err := f.s.AddMessage(context.Background(), f.ticket.Number, desk.NewMessage{Body: "Hej Jens, men vi prøver måske igen i morgen.", UserID: agent.ID, Coaching: &c})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *coachFixture) rows(t *testing.T) (replies, findings int64) {
	t.Helper()
	f.s.r.Table("reply_coaching").Count(&replies)
	f.s.r.Table("coaching_findings").Count(&findings)
	return replies, findings
}

func finding(rule, sev string, start int) desk.CoachFinding {
	return desk.CoachFinding{Rule: rule, Severity: sev, Start: start, End: start + 3, Text: rule + " text"}
}

func TestCoachingIsStoredWithTheReply(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	nh := finding("weak-word", "warning", 30)
	nh.NotHelpful, nh.NotHelpfulReason = true, "a quote from the customer"
	sent := f.reply(t, f.clock, f.anna, desk.Coaching{Lang: "da", PackVersion: "da-3", Score: 55, Overridden: true, OverrideReason: "the customer asked for it",
		Findings: []desk.CoachFinding{nh, finding("no-but", "error", 10), finding("greeting", "suggestion", 0), finding("weak-word", "warning", 20)}})
	if sent.Coaching == nil || sent.Coaching.MessageID != sent.ID || len(sent.Coaching.Findings) != 4 || sent.Coaching.Findings[0].Start != 0 {
		t.Fatalf("AddMessage returned %+v", sent.Coaching)
	}
	if _, err := f.s.AddMessage(ctx, f.ticket.Number, desk.NewMessage{Body: "Tak", UserID: f.bo.ID}); err != nil {
		t.Fatal(err)
	}
	// Only agents' replies are coached: a note or a customer's message with coaching stores none.
	for _, m := range []desk.NewMessage{{Kind: desk.KindNote, Body: "note", UserID: f.bo.ID}, {Body: "Tak!"}} {
		m.Coaching = &desk.Coaching{Lang: "da", Score: 1}
		if _, err := f.s.AddMessage(ctx, f.ticket.Number, m); err != nil {
			t.Fatal(err)
		}
	}

	thread, err := f.s.Thread(ctx, f.ticket.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 5 || thread[0].Coaching != nil || thread[0].AuthorID != 0 || thread[2].Coaching != nil || thread[2].AuthorID != f.bo.ID {
		t.Fatalf("thread = %+v", thread)
	}
	got := thread[1]
	if got.AuthorID != f.anna.ID || got.Coaching == nil {
		t.Fatalf("coached reply = %+v", got)
	}
	c := *got.Coaching
	if c.MessageID != got.ID || c.TicketID != f.ticket.ID || c.AgentID != f.anna.ID || c.Lang != "da" || c.PackVersion != "da-3" ||
		c.Score != 55 || !c.Overridden || c.OverrideReason != "the customer asked for it" || !c.CreatedAt.Equal(f.clock) {
		t.Fatalf("coaching = %+v", c)
	}
	var starts []string
	for _, fd := range c.Findings {
		starts = append(starts, fmt.Sprintf("%s@%d", fd.Rule, fd.Start))
	}
	if strings.Join(starts, " ") != "greeting@0 no-but@10 weak-word@20 weak-word@30" {
		t.Fatalf("findings by start = %v", starts)
	}
	if last := c.Findings[3]; !last.NotHelpful || last.NotHelpfulReason != "a quote from the customer" || last.End != 33 || last.Text != "weak-word text" {
		t.Fatalf("not-helpful finding = %+v", last)
	}
	var counts struct{ ErrorCount, WarningCount int }
	f.s.r.Table("reply_coaching").Select("error_count, warning_count").Where("message_id = ?", got.ID).Scan(&counts)
	if counts.ErrorCount != 1 || counts.WarningCount != 2 {
		t.Fatalf("severity counts = %+v", counts)
	}
	if replies, findings := f.rows(t); replies != 1 || findings != 4 {
		t.Fatalf("stored %d replies, %d findings", replies, findings)
	}
}

func TestFailedSendStoresNoCoaching(t *testing.T) {
	ctx := context.Background()
	f := newCoachFixture(t)
	body := "Hej Jens."
	ok := desk.Coaching{Lang: "da", Score: 70, Findings: []desk.CoachFinding{finding("weak-word", "warning", 0)}}
	cases := []struct {
		name        string
		c           desk.Coaching
		code, field string
	}{
		{"override without reason", desk.Coaching{Lang: "da", Overridden: true, OverrideReason: "  "}, desk.EINVALID, "override_reason"},
		{"reason too long", desk.Coaching{Lang: "da", Overridden: true, OverrideReason: strings.Repeat("x", desk.MaxOverrideReason+1)}, desk.EINVALID, "override_reason"},
		{"span past the body", desk.Coaching{Lang: "da", Findings: []desk.CoachFinding{{Rule: "blame", Severity: "error", Start: 5, End: 99}}}, desk.EINVALID, "coaching"},
		{"unknown severity", desk.Coaching{Lang: "da", Findings: []desk.CoachFinding{{Rule: "blame", Severity: "fatal"}}}, desk.EINVALID, "coaching"},
	}
	for _, c := range cases {
		_, err := f.s.AddMessage(ctx, f.ticket.Number, desk.NewMessage{Body: body, UserID: f.anna.ID, Coaching: &c.c})
		if e, isDesk := desk.AsError(err); !isDesk || e.Code != c.code || e.Field != c.field {
			t.Errorf("%s: err = %v, want %s %q", c.name, err, c.code, c.field)
		}
	}
	closed := desk.StatusClosed
	if _, err := f.s.UpdateTicket(ctx, f.ticket.Number, f.anna.ID, desk.Change{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddMessage(ctx, f.ticket.Number, desk.NewMessage{Body: body, UserID: f.anna.ID, Coaching: &ok}); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("reply to a closed ticket: err = %v", err)
	}
	if replies, findings := f.rows(t); replies != 0 || findings != 0 {
		t.Fatalf("failed sends stored %d coaching rows and %d findings", replies, findings)
	}
}

// leadFixture: five replies over two months, with known totals.
func leadFixture(t *testing.T) (f *coachFixture, r []desk.Message) {
	f = newCoachFixture(t)
	day := func(month time.Month, d, h int) time.Time { return time.Date(2026, month, d, h, 0, 0, 0, time.UTC) }
	nh := func(fd desk.CoachFinding) desk.CoachFinding { fd.NotHelpful = true; return fd }
	r = []desk.Message{
		f.reply(t, day(3, 1, 10), f.anna, desk.Coaching{Lang: "da", Score: 60, Overridden: true, OverrideReason: "quoted",
			Findings: []desk.CoachFinding{finding("no-but", "error", 10), nh(finding("weak-word", "warning", 0)), finding("weak-word", "warning", 30)}}),
		f.reply(t, day(3, 10, 9), f.anna, desk.Coaching{Lang: "da", Score: 90, Findings: []desk.CoachFinding{finding("greeting", "suggestion", 0)}}),
		f.reply(t, day(3, 10, 10), f.bo, desk.Coaching{Lang: "da", Score: 50, Overridden: true, OverrideReason: "legal wording",
			Findings: []desk.CoachFinding{finding("weak-word", "warning", 3), finding("blame", "error", 9)}}),
		f.reply(t, day(4, 2, 9), f.bo, desk.Coaching{Lang: "da", Score: 70, Findings: []desk.CoachFinding{nh(finding("weak-word", "warning", 1)), finding("weak-word", "warning", 12)}}),
		f.reply(t, day(4, 2, 11), f.anna, desk.Coaching{Lang: "da", Score: 100}),
	}
	return f, r
}

func TestLeadQueries(t *testing.T) {
	ctx := context.Background()
	f, r := leadFixture(t)
	march := func(q desk.CoachingQuery) desk.CoachingQuery {
		q.From, q.To = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		return q
	}
	rules := func(q desk.CoachingQuery) string {
		t.Helper()
		counts, err := f.s.FindingCounts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range counts {
			out = append(out, fmt.Sprintf("%s=%d/%d", c.Rule, c.Findings, c.NotHelpful))
		}
		return strings.Join(out, " ")
	}
	ruleCases := []struct {
		q    desk.CoachingQuery
		want string
	}{
		{march(desk.CoachingQuery{}), "weak-word=3/1 blame=1/0 greeting=1/0 no-but=1/0"},
		{march(desk.CoachingQuery{AgentID: f.anna.ID}), "weak-word=2/1 greeting=1/0 no-but=1/0"},
		{desk.CoachingQuery{Rule: "weak-word"}, "weak-word=5/2"},
		{desk.CoachingQuery{Rule: "weak-word", AgentID: f.bo.ID, From: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)}, "weak-word=2/1"},
		// [From, To) is half-open: the replies at exactly To are left out.
		{desk.CoachingQuery{To: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}, "weak-word=2/1 no-but=1/0"},
		{desk.CoachingQuery{Rule: "escalation"}, ""},
	}
	for _, c := range ruleCases {
		if got := rules(c.q); got != c.want {
			t.Errorf("FindingCounts(%+v) = %q, want %q", c.q, got, c.want)
		}
	}

	agents := func(q desk.CoachingQuery) string {
		t.Helper()
		counts, err := f.s.AgentCoaching(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range counts {
			out = append(out, fmt.Sprintf("%s(%d):%d/%d/%.1f", c.Name, c.AgentID, c.Replies, c.Overridden, c.AvgScore))
		}
		return strings.Join(out, " ")
	}
	a, b := f.anna.ID, f.bo.ID
	if got, want := agents(march(desk.CoachingQuery{})), fmt.Sprintf("anna(%d):2/1/75.0 bo(%d):1/1/50.0", a, b); got != want {
		t.Errorf("AgentCoaching(March) = %q, want %q", got, want)
	}
	if got, want := agents(desk.CoachingQuery{AgentID: b}), fmt.Sprintf("bo(%d):2/1/60.0", b); got != want {
		t.Errorf("AgentCoaching(bo) = %q, want %q", got, want)
	}

	replies := func(q desk.CoachingQuery) string {
		t.Helper()
		cs, err := f.s.CoachedReplies(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			for i, m := range r {
				if m.ID == c.MessageID {
					out = append(out, fmt.Sprintf("r%d:%d", i, len(c.Findings)))
				}
			}
		}
		return strings.Join(out, " ")
	}
	replyCases := []struct {
		q    desk.CoachingQuery
		want string
	}{
		{desk.CoachingQuery{}, "r4:0 r3:2 r2:2 r1:1 r0:3"},
		{desk.CoachingQuery{Limit: 2}, "r4:0 r3:2"},
		{desk.CoachingQuery{Rule: "weak-word"}, "r3:2 r2:2 r0:3"},
		{desk.CoachingQuery{Rule: "weak-word", Limit: 2}, "r3:2 r2:2"}, // r3 has two weak-word findings: one reply
		{desk.CoachingQuery{Rule: "weak-word", AgentID: a}, "r0:3"},
		{desk.CoachingQuery{AgentID: a}, "r4:0 r1:1 r0:3"},
		{march(desk.CoachingQuery{AgentID: b}), "r2:2"},
		{desk.CoachingQuery{Rule: "escalation"}, ""},
	}
	for _, c := range replyCases {
		if got := replies(c.q); got != c.want {
			t.Errorf("CoachedReplies(%+v) = %q, want %q", c.q, got, c.want)
		}
	}
	cs, _ := f.s.CoachedReplies(ctx, desk.CoachingQuery{Rule: "weak-word", AgentID: a})
	if len(cs) != 1 || cs[0].Findings[0].Start != 0 || cs[0].Findings[1].Rule != "no-but" || !cs[0].Overridden || cs[0].OverrideReason != "quoted" {
		t.Fatalf("CoachedReplies returned %+v", cs)
	}
}

// TestLeadQueryPlans checks that each query reads a range of an index and never a whole table, and
// that no GROUP BY or ORDER BY sorts rows of a range (sorting the per-agent totals by name is fine).
func TestLeadQueryPlans(t *testing.T) {
	pgtest.SQLiteOnly(t, "EXPLAIN QUERY PLAN is SQLite's")
	f, _ := leadFixture(t)
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	type query struct {
		name  string
		sql   string
		args  []any
		index string
	}
	plan := func(name string, build func(dialect, desk.CoachingQuery) (string, []any), q desk.CoachingQuery, index string) query {
		sql, args := build(sqliteDialect, q)
		return query{name, sql, args, index}
	}
	queries := []query{
		plan("counts, rule", findingCountsSQL, desk.CoachingQuery{Rule: "weak-word", From: from, To: to}, "coaching_findings_rule (rule=? AND created_at>? AND created_at<?)"),
		plan("counts, all rules", findingCountsSQL, desk.CoachingQuery{From: from, To: to}, "coaching_findings_rule (rule=? AND created_at>? AND created_at<?)"),
		plan("counts, agent", findingCountsSQL, desk.CoachingQuery{AgentID: 1, From: from, To: to}, "coaching_findings_agent (agent_id=? AND rule=? AND created_at>? AND created_at<?)"),
		plan("counts, agent and rule", findingCountsSQL, desk.CoachingQuery{AgentID: 1, Rule: "blame", From: from, To: to}, "coaching_findings_agent (agent_id=? AND rule=? AND created_at>? AND created_at<?)"),
		plan("agents", agentCoachingSQL, desk.CoachingQuery{From: from, To: to}, "reply_coaching_agent_created (agent_id=? AND created_at>? AND created_at<?)"),
		plan("agents, one", agentCoachingSQL, desk.CoachingQuery{AgentID: 1}, "reply_coaching_agent_created (agent_id=? AND created_at>? AND created_at<?)"),
		plan("replies", coachedRepliesSQL, desk.CoachingQuery{}, "reply_coaching_created (created_at>? AND created_at<?)"),
		plan("replies, agent", coachedRepliesSQL, desk.CoachingQuery{AgentID: 1}, "reply_coaching_agent_created (agent_id=? AND created_at>? AND created_at<?)"),
		plan("replies, rule", coachedRepliesSQL, desk.CoachingQuery{Rule: "blame"}, "coaching_findings_rule (rule=? AND created_at>? AND created_at<?)"),
		plan("replies, agent and rule", coachedRepliesSQL, desk.CoachingQuery{AgentID: 1, Rule: "blame"}, "coaching_findings_agent (agent_id=? AND rule=? AND created_at>? AND created_at<?)"),
		{"findings of a message", "SELECT * FROM coaching_findings WHERE message_id IN (?, ?) ORDER BY message_id, start_pos, id", []any{1, 2}, "coaching_findings_message (message_id=?)"},
		{"not-helpful marks", "SELECT rule, agent_id FROM coaching_findings WHERE not_helpful = 1 AND created_at >= ? AND created_at < ? ORDER BY created_at DESC",
			[]any{from, to}, "coaching_findings_not_helpful (created_at>? AND created_at<?)"},
	}
	for _, q := range queries {
		var rows []struct{ Detail string }
		if err := f.s.r.Raw("EXPLAIN QUERY PLAN "+q.sql, q.args...).Scan(&rows).Error; err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var lines []string
		for _, r := range rows {
			lines = append(lines, r.Detail)
		}
		got := strings.Join(lines, "\n")
		sorts := strings.Contains(got, "FOR GROUP BY") || (strings.Contains(got, "FOR ORDER BY") && !strings.HasPrefix(q.name, "agents"))
		bad := sorts || strings.Contains(got, "SCAN coaching_findings") || strings.Contains(got, "SCAN reply_coaching")
		if bad || !strings.Contains(got, q.index) {
			t.Errorf("%s: plan\n%s\nwant %s and no scan or sort", q.name, got, q.index)
		}
	}
}
