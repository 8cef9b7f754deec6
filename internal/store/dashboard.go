package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// The team dashboard: coaching figures per agent and week from the stored coaching, and the
// service figures from tickets, messages and the audit trail. Every query reads one date range.

// reopenWindow is how long after solving a customer's return still counts against first contact.
const reopenWindow = 7 * 24 * time.Hour

// Dashboard sums the period for the team and each agent (or only q.AgentID), with a weekly trend.
// The coaching figures come from the day rollups (migration 00011) and, by rule, the week ones
// (00018), so a quarter reads a few thousand rows whatever the number of replies.
func (s *Store) Dashboard(ctx context.Context, q desk.DashboardQuery) (desk.Dashboard, error) {
	db := s.r.WithContext(ctx)
	from, to := span(desk.CoachingQuery{From: q.From, To: q.To})
	d := desk.Dashboard{Query: q, Team: desk.CoachingFigures{ByRule: map[string]int{}}}
	agent, args := "", []any{from.Format("2006-01-02"), to.Format("2006-01-02")}
	if q.AgentID != 0 {
		agent, args = " AND agent_id = ?", append(args, q.AgentID)
	}
	var days []struct {
		Day                                                    string
		AgentID                                                int64
		Replies, ScoreSum, Findings, Overridden, Warned, Fixed int
	}
	if err := db.Raw(`SELECT day, agent_id, replies, score_sum, findings, overridden, warned, fixed FROM coaching_days
		WHERE day >= ? AND day < ?`+agent+` ORDER BY day`, args...).Scan(&days).Error; err != nil {
		return d, fmt.Errorf("store: dashboard days: %w", err)
	}
	byAgent := map[int64]*desk.AgentFigures{}
	get := func(id int64) *desk.AgentFigures {
		if byAgent[id] == nil {
			byAgent[id] = &desk.AgentFigures{AgentID: id, CoachingFigures: desk.CoachingFigures{ByRule: map[string]int{}}}
		}
		return byAgent[id]
	}
	weeks := map[string]*desk.Week{}
	var order []string
	scores := map[*desk.CoachingFigures]int{}
	add := func(f *desk.CoachingFigures, r int, score, findings, overridden, warned, fixed int) {
		f.Replies += r
		f.Findings += findings
		f.Overridden += overridden
		f.WithWarning += warned
		f.Fixed += fixed
		scores[f] += score
	}
	for _, r := range days {
		day, err := time.Parse("2006-01-02", r.Day)
		if err != nil {
			return d, fmt.Errorf("store: day %q: %w", r.Day, err)
		}
		monday := day.AddDate(0, 0, -(int(day.Weekday())+6)%7).Format("2006-01-02")
		if weeks[monday] == nil {
			start, _ := time.Parse("2006-01-02", monday)
			weeks[monday] = &desk.Week{Start: start}
			order = append(order, monday)
		}
		for _, f := range []*desk.CoachingFigures{&d.Team, &get(r.AgentID).CoachingFigures, &weeks[monday].CoachingFigures} {
			add(f, r.Replies, r.ScoreSum, r.Findings, r.Overridden, r.Warned, r.Fixed)
		}
	}
	for f, sum := range scores {
		if f.Replies > 0 {
			f.AvgScore = float64(sum) / float64(f.Replies)
		}
	}
	for _, w := range order {
		d.Weeks = append(d.Weeks, *weeks[w])
	}
	var rules []struct {
		AgentID int64
		Rule    string
		N       int
	}
	byWeek, byWeekArgs := weeksThenDays("coaching_week_rules", "coaching_day_rules", "agent_id, rule, n", from, to, q.AgentID)
	if err := db.Raw(`SELECT agent_id, rule, SUM(n) AS n FROM (`+byWeek+`) AS w GROUP BY agent_id, rule`, byWeekArgs...).Scan(&rules).Error; err != nil {
		return d, fmt.Errorf("store: dashboard rules: %w", err)
	}
	for _, r := range rules {
		get(r.AgentID).ByRule[r.Rule] += r.N
		d.Team.ByRule[r.Rule] += r.N
	}
	service, err := serviceFigures(db, from, to, q.AgentID)
	if err != nil {
		return d, err
	}
	for id, f := range service {
		if id == 0 {
			d.Service = f
			continue
		}
		get(id).Service = f
	}
	var names []struct {
		ID   int64
		Name string
	}
	if err := db.Raw("SELECT id, name FROM users").Scan(&names).Error; err != nil {
		return d, err
	}
	for _, n := range names {
		if a := byAgent[n.ID]; a != nil {
			a.Name = n.Name
			d.Agents = append(d.Agents, *a)
		}
	}
	slices.SortFunc(d.Agents, func(a, b desk.AgentFigures) int { return strings.Compare(a.Name, b.Name) })
	return d, nil
}

// serviceFigures are per agent (and for the team at key 0), from the day rollups of migration
// 00015: first responses by the agent who gave them, solves by the assignee then (first contact
// and reopens corrected as customers come back), and tickets created in the period with the
// handoffs among them (an agent's handoffs are the tickets that reached them from another agent).
func serviceFigures(db *gorm.DB, from, to time.Time, onlyAgent int64) (map[int64]desk.ServiceFigures, error) {
	type acc struct {
		desk.ServiceFigures
		waits []waitCount
	}
	out := map[int64]*acc{0: {}}
	get := func(agent int64) *acc {
		if out[agent] == nil {
			out[agent] = &acc{}
		}
		return out[agent]
	}
	// sum adds an agent's row to the agent and to the team; rows of agent 0 (no agent) go to the team only.
	sum := func(agent int64, f func(*acc)) {
		if onlyAgent != 0 && agent != onlyAgent {
			return
		}
		f(out[0])
		if agent != 0 {
			f(get(agent))
		}
	}
	days, agent, args := "day >= ? AND day < ?", "", []any{from.Format("2006-01-02"), to.Format("2006-01-02")}
	if onlyAgent != 0 {
		agent, args = " AND agent_id = ?", append(args, onlyAgent)
	}
	var first []struct {
		AgentID  int64
		WaitSecs int64
		N        int
	}
	byWeek, byWeekArgs := weeksThenDays("first_response_weeks", "first_response_days", "agent_id, wait_secs, n", from, to, onlyAgent)
	if err := db.Raw(`SELECT agent_id, wait_secs, SUM(n) AS n FROM (`+byWeek+`) AS w GROUP BY agent_id, wait_secs`, byWeekArgs...).Scan(&first).Error; err != nil {
		return nil, fmt.Errorf("store: first responses: %w", err)
	}
	for _, r := range first {
		sum(r.AgentID, func(a *acc) {
			a.FirstResponses += r.N
			a.waits = append(a.waits, waitCount{time.Duration(r.WaitSecs) * time.Second, r.N})
		})
	}
	var solved []struct {
		AgentID                        int64
		Solved, FirstContact, Reopened int
	}
	if err := db.Raw(`SELECT agent_id, SUM(solved) AS solved, SUM(first_contact) AS first_contact, SUM(reopened) AS reopened
		FROM solve_days WHERE `+days+agent+` GROUP BY agent_id`, args...).Scan(&solved).Error; err != nil {
		return nil, fmt.Errorf("store: solved tickets: %w", err)
	}
	for _, r := range solved {
		sum(r.AgentID, func(a *acc) {
			a.Solved, a.FirstContact, a.Reopened = a.Solved+r.Solved, a.FirstContact+r.FirstContact, a.Reopened+r.Reopened
		})
	}
	var created []struct {
		AgentID           int64
		Tickets, Handoffs int
	}
	// The team's row (agent 0) counts each ticket once; one agent's view shows only that agent's.
	team := " AND agent_id = 0"
	if onlyAgent != 0 {
		team = agent
	}
	if err := db.Raw(`SELECT 0 AS agent_id, COALESCE(SUM(tickets), 0) AS tickets, COALESCE(SUM(handoffs), 0) AS handoffs FROM handoff_days WHERE `+days+team+`
		UNION ALL SELECT agent_id, SUM(tickets), SUM(handoffs) FROM handoff_days WHERE `+days+` AND agent_id > 0`+agent+` GROUP BY agent_id`,
		append(args, args...)...).Scan(&created).Error; err != nil {
		return nil, fmt.Errorf("store: handoffs: %w", err)
	}
	for _, r := range created {
		a := get(r.AgentID)
		a.Tickets, a.Handoffs = r.Tickets, r.Handoffs
	}
	result := make(map[int64]desk.ServiceFigures, len(out))
	for id, a := range out {
		a.FirstResponseP50, a.FirstResponseP90 = percentile(a.waits, 50), percentile(a.waits, 90)
		result[id] = a.ServiceFigures
	}
	return result, nil
}

// weeksThenDays is a period's rows of a rollup kept both by week and by day (00017, 00018): its
// whole weeks from the week table, the days before and after them from the day table.
func weeksThenDays(weeks, days, cols string, from, to time.Time, onlyAgent int64) (string, []any) {
	w0, w1 := wholeWeeks(from, to)
	agent := ""
	if onlyAgent != 0 {
		agent = " AND agent_id = ?"
	}
	var args []any
	for _, r := range [][2]time.Time{{w0, w1}, {from, w0}, {w1, to}} {
		args = append(args, r[0].Format("2006-01-02"), r[1].Format("2006-01-02"))
		if onlyAgent != 0 {
			args = append(args, onlyAgent)
		}
	}
	return `SELECT ` + cols + ` FROM ` + weeks + ` WHERE week >= ? AND week < ?` + agent +
		` UNION ALL SELECT ` + cols + ` FROM ` + days + ` WHERE day >= ? AND day < ?` + agent +
		` UNION ALL SELECT ` + cols + ` FROM ` + days + ` WHERE day >= ? AND day < ?` + agent, args
}

// wholeWeeks is the run of whole weeks (Monday to Monday) among the days of [from, to), as the day
// rollups count days (UTC dates); for none, both are the period's end, so its days are the edge.
func wholeWeeks(from, to time.Time) (start, end time.Time) {
	first := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	last := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	start = first.AddDate(0, 0, (8-int(first.Weekday()))%7)
	days := (last.Unix() - start.Unix()) / 86400 // not Sub: the open ends are centuries apart
	if days < 7 {
		return last, last
	}
	return start, start.AddDate(0, 0, int(days/7*7))
}

// waitCount is one bar of the first-response histogram: n responses after wait.
type waitCount struct {
	wait time.Duration
	n    int
}

// percentile is the nearest-rank p-th percentile of a histogram (0 for none).
func percentile(ws []waitCount, p int) time.Duration {
	total := 0
	for _, w := range ws {
		total += w.n
	}
	if total == 0 {
		return 0
	}
	slices.SortFunc(ws, func(a, b waitCount) int { return cmp.Compare(a.wait, b.wait) })
	rank := max((p*total+99)/100, 1) // ceil(p/100 · n)
	for _, w := range ws {
		if rank -= w.n; rank <= 0 {
			return w.wait
		}
	}
	return ws[len(ws)-1].wait
}
