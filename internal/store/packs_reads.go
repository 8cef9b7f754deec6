package store

import (
	"context"
	"fmt"
	"time"
)

// SentReply is a sent reply as the backtest reads it: its text, agent and the verdicts leads gave
// on its stored findings.
type SentReply struct {
	MessageID int64
	AgentID   int64
	Body      string
	CreatedAt time.Time
}

// JudgedFinding is a stored finding with a lead's verdict (confirmed, false_positive …).
type JudgedFinding struct {
	MessageID int64
	Rule      string
	Start     int
	End       int
	Verdict   string
}

// SentRepliesPage reads up to limit sent replies in lang from [from, to) with message id above
// after, in id order: the backtest pages through a period so no read holds a snapshot for long.
func (s *Store) SentRepliesPage(ctx context.Context, lang string, from, to time.Time, after int64, limit int) ([]SentReply, error) {
	var out []SentReply
	err := s.r.WithContext(ctx).Raw(`SELECT rc.message_id, rc.agent_id, m.body, rc.created_at
		FROM reply_coaching rc JOIN messages m ON m.id = rc.message_id
		WHERE rc.message_id > ? AND rc.created_at >= ? AND rc.created_at < ? AND rc.lang = ?
		ORDER BY rc.message_id LIMIT ?`, after, from, to, lang, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: sent replies: %w", err)
	}
	return out, nil
}

// CountSentReplies counts the replies in lang of [from, to) (for the backtest's progress).
func (s *Store) CountSentReplies(ctx context.Context, lang string, from, to time.Time) (int, error) {
	var n int
	err := s.r.WithContext(ctx).Raw(`SELECT COUNT(*) FROM reply_coaching WHERE created_at >= ? AND created_at < ? AND lang = ?`, from, to, lang).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: count sent replies: %w", err)
	}
	return n, nil
}

// JudgedFindings are the verdicts on findings of replies in lang of [from, to).
func (s *Store) JudgedFindings(ctx context.Context, lang string, from, to time.Time) ([]JudgedFinding, error) {
	var out []JudgedFinding
	err := s.r.WithContext(ctx).Raw(`SELECT f.message_id, f.rule, f.start_pos AS start, f.end_pos AS "end", v.verdict
		FROM finding_verdicts v JOIN coaching_findings f ON f.id = v.finding_id
		JOIN reply_coaching rc ON rc.message_id = v.message_id
		WHERE rc.created_at >= ? AND rc.created_at < ? AND v.lang = ?`, from, to, lang).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: judged findings: %w", err)
	}
	return out, nil
}

// EntryHits is how often one pack entry fired since a date and what leads said of those findings.
type EntryHits struct {
	Rule      string
	Entry     string // match_entry, e.g. rules.weak-word.entries[1].words[0]
	Pattern   string // match_pattern: the word or pattern as listed
	Hits      int
	Confirmed int
	Dismissed int
}

// PackEntryHits counts the findings per rule and entry of replies in lang since from, with their verdicts.
func (s *Store) PackEntryHits(ctx context.Context, lang string, from time.Time) ([]EntryHits, error) {
	var out []EntryHits
	err := s.r.WithContext(ctx).Raw(`SELECT f.rule, f.match_entry AS entry, f.match_pattern AS pattern, COUNT(*) AS hits,
			`+s.d.sumBool("v.verdict = 'confirmed'")+` AS confirmed, `+s.d.sumBool("v.verdict = 'false_positive'")+` AS dismissed
		FROM coaching_findings f JOIN reply_coaching rc ON rc.message_id = f.message_id
		LEFT JOIN finding_verdicts v ON v.finding_id = f.id
		WHERE f.created_at >= ? AND rc.lang = ?
		GROUP BY 1, 2, 3`, from, lang).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: pack entry hits: %w", err)
	}
	return out, nil
}

// AgentNames maps user ids to names (for the backtest's agents).
func (s *Store) AgentNames(ctx context.Context) (map[int64]string, error) {
	var rows []userRow
	if err := s.r.WithContext(ctx).Select("id", "name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: agent names: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
