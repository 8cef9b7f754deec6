package store

import (
	"context"
	"fmt"
	"math"
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
// The coaching figures come from the day rollups (migration 00011), so a quarter reads a few
// thousand rows whatever the number of replies.
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
	if err := db.Raw(`SELECT agent_id, rule, SUM(n) AS n FROM coaching_day_rules WHERE day >= ? AND day < ?`+agent+
		` GROUP BY agent_id, rule`, args...).Scan(&rules).Error; err != nil {
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

// serviceFigures are per agent (and for the team at key 0): first-response times of tickets first
// answered in the period (by the ticket's assignee), solved tickets with first-contact resolution and
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
	err := db.Raw(`SELECT COALESCE(assignee_id, 0) AS agent, (julianday(first_response_at) - julianday(created_at)) * 86400 AS secs
		FROM tickets INDEXED BY tickets_first_response_assignee
		WHERE first_response_at >= ? AND first_response_at < ?`, from, to).Scan(&first).Error
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
