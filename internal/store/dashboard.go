package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// The team dashboard: coaching figures per agent and week from the stored coaching, and the
// service figures from tickets, messages and the audit trail. Every query reads one date range.

// reopenWindow is how long after solving a customer's return still counts against first contact.
const reopenWindow = 7 * 24 * time.Hour

// Dashboard sums the period for the team and each agent (or only q.AgentID), with a weekly trend.
func (s *Store) Dashboard(ctx context.Context, q desk.DashboardQuery) (desk.Dashboard, error) {
	db := s.r.WithContext(ctx)
	from, to := span(desk.CoachingQuery{From: q.From, To: q.To})
	d := desk.Dashboard{Query: q, Team: desk.CoachingFigures{ByRule: map[string]int{}}}
	agent, agentArgs := "", []any{}
	if q.AgentID != 0 {
		agent, agentArgs = " AND agent_id = ?", []any{q.AgentID}
	}
	args := append([]any{from, to}, agentArgs...)

	byAgent := map[int64]*desk.AgentFigures{}
	get := func(id int64) *desk.AgentFigures {
		if byAgent[id] == nil {
			byAgent[id] = &desk.AgentFigures{AgentID: id, CoachingFigures: desk.CoachingFigures{ByRule: map[string]int{}}}
		}
		return byAgent[id]
	}
	var replies []struct {
		AgentID                                   int64
		N, Findings, Overridden, Warned, ScoreSum int
	}
	err := db.Raw(`SELECT agent_id, COUNT(*) AS n, SUM(score) AS score_sum, SUM(finding_count) AS findings, SUM(overridden) AS overridden,
		SUM(warning_count > 0) AS warned FROM reply_coaching WHERE created_at >= ? AND created_at < ?`+agent+` GROUP BY agent_id`, args...).Scan(&replies).Error
	if err != nil {
		return d, fmt.Errorf("store: dashboard replies: %w", err)
	}
	scoreSum := 0
	for _, r := range replies {
		a := get(r.AgentID)
		a.Replies, a.Findings, a.Overridden, a.WithWarning = r.N, r.Findings, r.Overridden, r.Warned
		a.AvgScore = float64(r.ScoreSum) / float64(max(r.N, 1))
		d.Team.Replies += r.N
		d.Team.Findings += r.Findings
		d.Team.Overridden += r.Overridden
		d.Team.WithWarning += r.Warned
		scoreSum += r.ScoreSum
	}
	if d.Team.Replies > 0 {
		d.Team.AvgScore = float64(scoreSum) / float64(d.Team.Replies)
	}
	var rules []struct {
		AgentID int64
		Rule    string
		N       int
	}
	if err := db.Raw(`SELECT agent_id, rule, COUNT(*) AS n FROM coaching_findings WHERE created_at >= ? AND created_at < ?`+agent+
		` GROUP BY agent_id, rule`, args...).Scan(&rules).Error; err != nil {
		return d, fmt.Errorf("store: dashboard rules: %w", err)
	}
	for _, r := range rules {
		get(r.AgentID).ByRule[r.Rule] += r.N
		d.Team.ByRule[r.Rule] += r.N
	}
	var fixed []struct {
		AgentID int64
		N       int
	}
	if err := db.Raw(`SELECT agent_id, COUNT(*) AS n FROM fixed_findings WHERE created_at >= ? AND created_at < ?`+agent+
		` GROUP BY agent_id`, args...).Scan(&fixed).Error; err != nil {
		return d, fmt.Errorf("store: dashboard fixed: %w", err)
	}
	for _, r := range fixed {
		get(r.AgentID).Fixed = r.N
		d.Team.Fixed += r.N
	}
	if d.Weeks, err = weeks(db, from, to, agent, agentArgs); err != nil {
		return d, err
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
	slices.SortFunc(d.Agents, func(a, b desk.AgentFigures) int { return cmpString(a.Name, b.Name) })
	return d, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mondayOf is the SQL for the Monday that starts a stored timestamp's week.
const mondayOf = `date(created_at, '-6 days', 'weekday 1')`

// weeks is the coaching trend, one row per week that has a reply.
func weeks(db *gorm.DB, from, to time.Time, agent string, agentArgs []any) ([]desk.Week, error) {
	args := append([]any{from, to}, agentArgs...)
	var rows []struct {
		Week                                      string
		N, Findings, Overridden, Warned, ScoreSum int
	}
	err := db.Raw(`SELECT `+mondayOf+` AS week, COUNT(*) AS n, SUM(score) AS score_sum, SUM(finding_count) AS findings,
		SUM(overridden) AS overridden, SUM(warning_count > 0) AS warned
		FROM reply_coaching WHERE created_at >= ? AND created_at < ?`+agent+` GROUP BY week ORDER BY week`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: weekly trend: %w", err)
	}
	var fixed []struct {
		Week string
		N    int
	}
	if err := db.Raw(`SELECT `+mondayOf+` AS week, COUNT(*) AS n FROM fixed_findings WHERE created_at >= ? AND created_at < ?`+agent+
		` GROUP BY week`, args...).Scan(&fixed).Error; err != nil {
		return nil, fmt.Errorf("store: weekly fixed: %w", err)
	}
	out := make([]desk.Week, 0, len(rows))
	for _, r := range rows {
		start, err := time.Parse("2006-01-02", r.Week)
		if err != nil {
			return nil, fmt.Errorf("store: week %q: %w", r.Week, err)
		}
		w := desk.Week{Start: start, CoachingFigures: desk.CoachingFigures{Replies: r.N, Findings: r.Findings, Overridden: r.Overridden,
			WithWarning: r.Warned, AvgScore: float64(r.ScoreSum) / float64(max(r.N, 1))}}
		for _, f := range fixed {
			if f.Week == r.Week {
				w.Fixed = f.N
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// serviceFigures are per agent (and for the team at key 0): first-response times of tickets first
// answered in the period (by whoever answered), solved tickets with first-contact resolution and
// reopens (by the ticket's assignee), and handoffs among tickets created in the period.
func serviceFigures(db *gorm.DB, from, to time.Time, onlyAgent int64) (map[int64]desk.ServiceFigures, error) {
	type acc struct {
		desk.ServiceFigures
		waits []time.Duration
	}
	out := map[int64]*acc{0: {}}
	add := func(agent int64, f func(*acc)) {
		if onlyAgent != 0 && agent != onlyAgent {
			return
		}
		f(out[0])
		if agent != 0 {
			if out[agent] == nil {
				out[agent] = &acc{}
			}
			f(out[agent])
		}
	}
	var first []struct {
		Agent int64
		Secs  float64
	}
	err := db.Raw(`SELECT COALESCE(e.actor_user_id, 0) AS agent, (julianday(t.first_response_at) - julianday(t.created_at)) * 86400 AS secs
		FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.field = 'first_response'
		WHERE t.first_response_at >= ? AND t.first_response_at < ?`, from, to).Scan(&first).Error
	if err != nil {
		return nil, fmt.Errorf("store: first responses: %w", err)
	}
	for _, r := range first {
		add(r.Agent, func(a *acc) {
			a.FirstResponses++
			a.waits = append(a.waits, time.Duration(math.Round(r.Secs))*time.Second)
		})
	}
	var solved []struct {
		Agent      int64
		Replies    int
		ReopenedIn *float64 // seconds from solving to the first reopen after it
	}
	err = db.Raw(`SELECT COALESCE(t.assignee_id, 0) AS agent,
		(SELECT COUNT(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply' AND m.author_user_id IS NOT NULL AND m.created_at <= e.created_at) AS replies,
		(SELECT MIN(julianday(r.created_at) - julianday(e.created_at)) * 86400 FROM ticket_events r
			WHERE r.ticket_id = t.id AND r.field = 'status' AND r.old_value = 'solved' AND r.id > e.id) AS reopened_in
		FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
		WHERE e.field = 'status' AND e.new_value = 'solved' AND e.created_at >= ? AND e.created_at < ?`, from, to).Scan(&solved).Error
	if err != nil {
		return nil, fmt.Errorf("store: solved tickets: %w", err)
	}
	for _, r := range solved {
		reopened := r.ReopenedIn != nil
		firstContact := r.Replies == 1 && (!reopened || *r.ReopenedIn > reopenWindow.Seconds())
		add(r.Agent, func(a *acc) {
			a.Solved++
			if firstContact {
				a.FirstContact++
			}
			if reopened {
				a.Reopened++
			}
		})
	}
	var created []struct {
		Agent     int64
		Assignees int
	}
	err = db.Raw(`SELECT COALESCE(t.assignee_id, 0) AS agent,
		(SELECT COUNT(DISTINCT a.new_value) FROM ticket_events a WHERE a.ticket_id = t.id AND a.field = 'assignee' AND a.new_value <> '') AS assignees
		FROM tickets t WHERE t.created_at >= ? AND t.created_at < ?`, from, to).Scan(&created).Error
	if err != nil {
		return nil, fmt.Errorf("store: handoffs: %w", err)
	}
	for _, r := range created {
		add(r.Agent, func(a *acc) {
			a.Tickets++
			if r.Assignees > 1 {
				a.Handoffs++
			}
		})
	}
	result := make(map[int64]desk.ServiceFigures, len(out))
	for id, a := range out {
		a.FirstResponseP50, a.FirstResponseP90 = percentile(a.waits, 50), percentile(a.waits, 90)
		result[id] = a.ServiceFigures
	}
	return result, nil
}

// percentile is the nearest-rank p-th percentile of ds (0 for none).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	rank := (p*len(ds) + 99) / 100 // ceil(p/100 · n)
	return ds[max(rank, 1)-1]
}
