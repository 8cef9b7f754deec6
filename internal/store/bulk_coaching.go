package store

import (
	"fmt"

	"coachdesk/internal/desk"
)

// BulkCoachedReply is an agent's reply with what the coach said about it. Coaching.AgentID and
// Coaching.CreatedAt are the reply's author and time; the message and ticket ids are filled in.
type BulkCoachedReply struct {
	Body     string
	Coaching desk.Coaching
}

var bulkCoachingSQL = map[string]string{
	"ticket_id": `SELECT id FROM tickets WHERE number = ?`,
	"coaching": `INSERT INTO reply_coaching (message_id, ticket_id, agent_id, lang, pack_version, score, overridden, override_reason,
		error_count, warning_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"finding": `INSERT INTO coaching_findings (message_id, agent_id, created_at, rule, severity, start_pos, end_pos, text,
		not_helpful, not_helpful_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
}

// AddCoachedReplies adds coached agent replies to a ticket added earlier in the load, by its number.
// Like AddTicket it trusts the caller: the findings are not checked against the body.
func (b *Bulk) AddCoachedReplies(number int64, replies []BulkCoachedReply) error {
	if b.tx == nil {
		return fmt.Errorf("store: bulk: the load has ended")
	}
	// Statements prepared on a transaction end with it, so each batch prepares its own.
	for name, q := range bulkCoachingSQL {
		if b.stmts[name] != nil {
			continue
		}
		st, err := b.tx.PrepareContext(b.ctx, bulkStatement(b.d, name, q))
		if err != nil {
			return b.fail(err)
		}
		b.stmts[name] = st
	}
	var ticketID int64
	if err := b.stmts["ticket_id"].QueryRowContext(b.ctx, number).Scan(&ticketID); err != nil {
		return b.fail(fmt.Errorf("ticket %d: %w", number, err))
	}
	if b.opts.Mode == BulkTriggers {
		b.dirty = append(b.dirty, ticketID) // its new replies go into its search document
	}
	for _, r := range replies {
		c := r.Coaching
		at := c.CreatedAt.UTC()
		id, err := b.exec("message", ticketID, c.AgentID, nil, string(desk.KindReply), "text", r.Body, at)
		if err != nil {
			return err
		}
		errs, warnings := severityCounts(c.Findings)
		if _, err := b.exec("coaching", id, ticketID, c.AgentID, c.Lang, c.PackVersion, c.Score, c.Overridden, c.OverrideReason,
			errs, warnings, at); err != nil {
			return err
		}
		for _, f := range c.Findings {
			if _, err := b.exec("finding", id, c.AgentID, at, f.Rule, f.Severity, f.Start, f.End, f.Text, f.NotHelpful, f.NotHelpfulReason); err != nil {
				return err
			}
		}
		b.stats.Messages++
	}
	return nil
}
