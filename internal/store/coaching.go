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

// Stored coaching: written with the reply it belongs to (AddMessage), read back with the thread and
// by team leads. Dates are compared as the stored UTC text, so every bound is passed in UTC.

// The bounds of an open-ended range; they sort before and after every stored timestamp.
var (
	beginning = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

const (
	defaultCoachedReplies = 50
	maxCoachedReplies     = 200
)

// coached reports whether a new message carries coaching to store: only agents' replies are coached.
func coached(m *desk.NewMessage) bool {
	return m.Coaching != nil && m.Kind == desk.KindReply && m.UserID != 0
}

// validateCoaching checks what the web layer already should have, since a bad record cannot be fixed later.
func validateCoaching(m *desk.NewMessage) error {
	if !coached(m) {
		return nil
	}
	c := m.Coaching
	switch {
	case c.Overridden && strings.TrimSpace(c.OverrideReason) == "":
		return desk.Errorf(desk.EINVALID, "override_reason", "Give a reason for sending past the coach's error.")
	case len(c.OverrideReason) > desk.MaxOverrideReason:
		return desk.Errorf(desk.EINVALID, "override_reason", "Keep the reason under %d characters.", desk.MaxOverrideReason)
	}
	for _, f := range c.Findings {
		switch {
		case f.Rule == "" || (f.Severity != "error" && f.Severity != "warning" && f.Severity != "suggestion"):
			return desk.Errorf(desk.EINVALID, "coaching", "Finding %q has no rule or an unknown severity %q.", f.Rule, f.Severity)
		case f.Start < 0 || f.Start > f.End || f.End > len(m.Body):
			return desk.Errorf(desk.EINVALID, "coaching", "Finding %s spans %d-%d, outside the %d-byte reply.", f.Rule, f.Start, f.End, len(m.Body))
		case len(f.NotHelpfulReason) > desk.MaxOverrideReason:
			return desk.Errorf(desk.EINVALID, "coaching", "Keep the reason under %d characters.", desk.MaxOverrideReason)
		}
	}
	return nil
}

// severityCounts counts error- and warning-level findings for the reply's summary row.
func severityCounts(fs []desk.CoachFinding) (errs, warnings int) {
	for _, f := range fs {
		switch f.Severity {
		case "error":
			errs++
		case "warning":
			warnings++
		}
	}
	return errs, warnings
}

// insertCoaching stores the coaching of message id, sent at now, with its findings in one batch,
// and returns it as stored.
func insertCoaching(tx *gorm.DB, m desk.NewMessage, id int64, now time.Time) (*desk.Coaching, error) {
	if !coached(&m) {
		return nil, nil
	}
	c := m.Coaching
	errs, warnings := severityCounts(c.Findings)
	now = now.UTC()
	row := replyCoachingRow{MessageID: id, TicketID: m.TicketID, AgentID: m.UserID, Lang: c.Lang, PackVersion: c.PackVersion,
		Score: c.Score, Overridden: c.Overridden, OverrideReason: c.OverrideReason, ErrorCount: errs, WarningCount: warnings, CreatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return nil, err
	}
	stored := row.coaching()
	if len(c.Findings) == 0 {
		return &stored, insertFixed(tx, m, id, now)
	}
	rows := make([]findingRow, len(c.Findings))
	for i, f := range c.Findings {
		rows[i] = findingRow{MessageID: id, AgentID: m.UserID, CreatedAt: now, Rule: f.Rule, Severity: f.Severity,
			StartPos: f.Start, EndPos: f.End, Text: f.Text, NotHelpful: f.NotHelpful, NotHelpfulReason: f.NotHelpfulReason,
			MatchPattern: f.MatchPattern, MatchEntry: f.MatchEntry}
	}
	slices.SortStableFunc(rows, func(a, b findingRow) int { return a.StartPos - b.StartPos })
	if err := tx.Create(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		stored.Findings = append(stored.Findings, r.finding())
	}
	return &stored, insertFixed(tx, m, id, now)
}

// insertFixed records, per rule, how many more findings the draft showed at its worst than the
// reply has as sent: what the agent fixed before sending. Counting per rule, not per passage,
// keeps a finding whose words changed with every keystroke from counting as fixed each time.
func insertFixed(tx *gorm.DB, m desk.NewMessage, id int64, now time.Time) error {
	seen, err := seenFindings(tx, m.TicketID, m.UserID)
	if err != nil || len(seen) == 0 {
		return err
	}
	sent := map[string]int{}
	for _, f := range m.Coaching.Findings {
		sent[f.Rule]++
	}
	for rule, n := range seen {
		for range n - sent[rule] {
			if err := tx.Exec("INSERT INTO fixed_findings (message_id, agent_id, rule, created_at) VALUES (?, ?, ?, ?)", id, m.UserID, rule, now).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// withFindings turns coaching rows into desk values with their findings, read in one query.
func withFindings(db *gorm.DB, rows []replyCoachingRow) ([]desk.Coaching, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]desk.Coaching, len(rows))
	ids := make([]int64, len(rows))
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		out[i] = r.coaching()
		ids[i] = r.MessageID
		index[r.MessageID] = i
	}
	var findings []findingRow
	if err := db.Where("message_id IN ?", ids).Order("message_id, start_pos, id").Find(&findings).Error; err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	for _, f := range findings {
		c := &out[index[f.MessageID]]
		c.Findings = append(c.Findings, f.finding())
	}
	return out, nil
}

// loadCoaching attaches the stored coaching to a ticket's messages with two queries.
func loadCoaching(db *gorm.DB, ticketID int64, msgs []desk.Message) error {
	var rows []replyCoachingRow
	if err := db.Where("ticket_id = ?", ticketID).Find(&rows).Error; err != nil {
		return fmt.Errorf("store: coaching of %d: %w", ticketID, err)
	}
	cs, err := withFindings(db, rows)
	if err != nil {
		return err
	}
	for i := range cs {
		if j, ok := slices.BinarySearchFunc(msgs, cs[i].MessageID, func(m desk.Message, id int64) int { return cmp.Compare(m.ID, id) }); ok {
			msgs[j].Coaching = &cs[i]
		}
	}
	return nil
}

func span(q desk.CoachingQuery) (from, to time.Time) {
	from, to = q.From.UTC(), q.To.UTC()
	if q.From.IsZero() {
		from = beginning
	}
	if q.To.IsZero() {
		to = endOfTime
	}
	return from, to
}

// Every rule that has a finding, one index seek each; "rule IN" over it lets SQLite count each
// rule's range in index order instead of sorting the range's findings to group them.
const distinctRules = `WITH RECURSIVE rules (rule) AS (
	SELECT MIN(rule) FROM coaching_findings
	UNION ALL
	SELECT (SELECT MIN(rule) FROM coaching_findings WHERE rule > rules.rule) FROM rules WHERE rules.rule IS NOT NULL) `

// FindingCounts counts findings per rule, and how many were marked not helpful, in [From, To),
// for one agent or all and for one rule or all; most frequent first.
func (s *Store) FindingCounts(ctx context.Context, q desk.CoachingQuery) ([]desk.RuleCount, error) {
	sql, args := findingCountsSQL(s.d, q)
	var out []desk.RuleCount
	if err := s.r.WithContext(ctx).Raw(sql, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("store: finding counts: %w", err)
	}
	slices.SortStableFunc(out, func(a, b desk.RuleCount) int { return b.Findings - a.Findings })
	return out, nil
}

func findingCountsSQL(d dialect, q desk.CoachingQuery) (string, []any) {
	from, to := span(q)
	sql, args := distinctRules+"SELECT rule, COUNT(*) AS findings, "+d.sumBool("not_helpful")+" AS not_helpful FROM coaching_findings WHERE ", []any{}
	if q.AgentID != 0 {
		sql, args = sql+"agent_id = ? AND ", append(args, q.AgentID)
	}
	if q.Rule != "" {
		sql, args = sql+"rule = ? ", append(args, q.Rule)
	} else {
		sql += "rule IN (SELECT rule FROM rules) "
	}
	return sql + "AND created_at >= ? AND created_at < ? GROUP BY rule", append(args, from, to)
}

// Every agent with a coached reply, found by seeking as distinctRules does.
const distinctAgents = `WITH RECURSIVE agents (id) AS (
	SELECT MIN(agent_id) FROM reply_coaching
	UNION ALL
	SELECT (SELECT MIN(agent_id) FROM reply_coaching WHERE agent_id > agents.id) FROM agents WHERE agents.id IS NOT NULL) `

// AgentCoaching sums coached replies per agent in [From, To): replies, how many were sent past an
// error, and the average score; by name. Rule does not filter.
func (s *Store) AgentCoaching(ctx context.Context, q desk.CoachingQuery) ([]desk.AgentCount, error) {
	sql, args := agentCoachingSQL(s.d, q)
	var out []desk.AgentCount
	if err := s.r.WithContext(ctx).Raw(sql, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("store: agent coaching: %w", err)
	}
	return out, nil
}

func agentCoachingSQL(d dialect, q desk.CoachingQuery) (string, []any) {
	from, to := span(q)
	who, args := "r.agent_id IN (SELECT id FROM agents)", []any{}
	if q.AgentID != 0 {
		who, args = "r.agent_id = ?", append(args, q.AgentID)
	}
	return distinctAgents + `SELECT a.*, COALESCE(u.name, '') AS name FROM (
		SELECT r.agent_id, COUNT(*) AS replies, ` + d.sumBool("r.overridden") + ` AS overridden, AVG(r.score) AS avg_score
		FROM reply_coaching r WHERE ` + who + ` AND r.created_at >= ? AND r.created_at < ? GROUP BY r.agent_id) a
		LEFT JOIN users u ON u.id = a.agent_id ORDER BY name, a.agent_id`, append(args, from, to)
}

// CoachedReplies lists coached replies in [From, To), newest first, of one agent and/or with at
// least one finding of one rule, each with all its findings.
func (s *Store) CoachedReplies(ctx context.Context, q desk.CoachingQuery) ([]desk.Coaching, error) {
	db := s.r.WithContext(ctx)
	sql, args := coachedRepliesSQL(s.d, q)
	var hits []struct{ MessageID int64 }
	if err := db.Raw(sql, args...).Scan(&hits).Error; err != nil {
		return nil, fmt.Errorf("store: coached replies: %w", err)
	}
	if len(hits) == 0 {
		return []desk.Coaching{}, nil
	}
	ids := make([]int64, len(hits))
	order := make(map[int64]int, len(hits))
	for i, h := range hits {
		ids[i], order[h.MessageID] = h.MessageID, i
	}
	var rows []replyCoachingRow
	if err := db.Where("message_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: coached replies: %w", err)
	}
	slices.SortFunc(rows, func(a, b replyCoachingRow) int { return order[a.MessageID] - order[b.MessageID] })
	return withFindings(db, rows)
}

// coachedRepliesSQL picks the newest matching message ids from the index that holds them in order.
func coachedRepliesSQL(d dialect, q desk.CoachingQuery) (string, []any) {
	from, to := span(q)
	limit := q.Limit
	if limit <= 0 {
		limit = defaultCoachedReplies
	}
	limit = min(limit, maxCoachedReplies)
	var sql string
	var args []any
	switch {
	case q.Rule != "" && q.AgentID != 0:
		sql, args = `SELECT DISTINCT message_id, created_at FROM coaching_findings WHERE agent_id = ? AND rule = ?`, []any{q.AgentID, q.Rule}
	case q.Rule != "":
		sql, args = `SELECT DISTINCT message_id, created_at FROM coaching_findings WHERE rule = ?`, []any{q.Rule}
	case q.AgentID != 0:
		sql, args = `SELECT message_id, created_at FROM reply_coaching WHERE agent_id = ?`, []any{q.AgentID}
	default:
		sql = `SELECT message_id, created_at FROM reply_coaching WHERE ` + d.always()
	}
	sql += ` AND created_at >= ? AND created_at < ? ORDER BY created_at DESC, message_id DESC LIMIT ?`
	return sql, append(args, from, to, limit)
}
