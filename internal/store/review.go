package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// The team lead's review of coached replies: the queue, verdicts, missed findings, comments,
// disputes and the precision they add up to. Every action also goes to review_log.

const maxQueuePage = 200

type queueRow struct {
	MessageID    int64
	TicketID     int64
	Number       int64
	Subject      string
	AgentID      int64
	AgentName    string
	Lang         string
	Score        int
	FindingCount int
	ErrorCount   int
	Overridden   bool
	Reviewed     bool
	CreatedAt    time.Time
}

func (r queueRow) item() desk.QueueItem {
	return desk.QueueItem{MessageID: r.MessageID, TicketID: r.TicketID, TicketNumber: r.Number, Subject: r.Subject,
		AgentID: r.AgentID, AgentName: r.AgentName, Lang: r.Lang, Score: r.Score, Findings: r.FindingCount,
		Errors: r.ErrorCount, Overridden: r.Overridden, Reviewed: r.Reviewed, Sampled: r.FindingCount == 0, CreatedAt: r.CreatedAt}
}

const queueColumns = `rc.message_id, rc.ticket_id, t.number, t.subject, rc.agent_id, u.name AS agent_name, rc.lang,
	rc.score, rc.finding_count, rc.error_count, rc.overridden, rc.reviewed_at IS NOT NULL AS reviewed, rc.created_at`

const queueFrom = ` FROM reply_coaching rc JOIN tickets t ON t.id = rc.ticket_id JOIN users u ON u.id = rc.agent_id`

// queueWhere is the filter as SQL: replies with findings, plus the random share without. Rare
// filters (sent anyway, not helpful, disputed) drive from their small partial indexes.
// f's share is resolved already (sampleShare).
func queueWhere(d dialect, f desk.ReviewFilter) (string, []any) {
	conds := []string{"(rc.finding_count > 0 OR rc.sample < ?)"}
	args := []any{f.SampleRate}
	add := func(cond string, a ...any) { conds, args = append(conds, cond), append(args, a...) }
	if !f.From.IsZero() {
		add("rc.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("rc.created_at < ?", f.To.UTC())
	}
	if f.AgentID != 0 {
		add("rc.agent_id = ?", f.AgentID)
	}
	if f.Lang != "" {
		add("rc.lang = ?", f.Lang)
	}
	switch {
	case f.Rule != "" && f.AgentID != 0:
		// One agent's replies with one rule are few: read them from the index that holds exactly those.
		add("rc.message_id IN (SELECT message_id FROM coaching_findings WHERE agent_id = ? AND rule = ?)", f.AgentID, f.Rule)
	case f.Rule != "":
		add("EXISTS (SELECT 1 FROM coaching_findings f WHERE f.message_id = rc.message_id AND f.rule = ?)", f.Rule)
	}
	if f.Severity != "" {
		add("EXISTS (SELECT 1 FROM coaching_findings f WHERE f.message_id = rc.message_id AND f.severity = ?)", f.Severity)
	}
	if f.Overridden {
		add(d.isTrue("rc.overridden"))
	}
	if f.NotHelpful {
		add("rc.message_id IN (SELECT message_id FROM coaching_findings WHERE " + d.isTrue("not_helpful") + ")")
	}
	if f.Disputed {
		add("rc.message_id IN (SELECT message_id FROM finding_disputes)")
	}
	switch f.Reviewed {
	case "yes":
		add("rc.reviewed_at IS NOT NULL")
	case "no":
		add("rc.reviewed_at IS NULL")
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ReviewQueue lists sent replies worth reviewing, newest first, from f.Before down.
// A share of desk.SampleConfigured is the one in the review settings.
func (s *Store) ReviewQueue(ctx context.Context, f desk.ReviewFilter) ([]desk.QueueItem, error) {
	f, err := s.sampleShare(ctx, f)
	if err != nil {
		return nil, err
	}
	where, args := queueWhere(s.d, f)
	if f.Before > 0 {
		where, args = where+" AND rc.message_id < ?", append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > maxQueuePage {
		limit = desk.ReviewPageSize
	}
	var rows []queueRow
	q := "SELECT " + queueColumns + queueFrom + where + " ORDER BY rc.message_id DESC LIMIT ?"
	if err := s.r.WithContext(ctx).Raw(q, append(args, limit)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: review queue: %w", err)
	}
	out := make([]desk.QueueItem, len(rows))
	for i, r := range rows {
		out[i] = r.item()
	}
	return out, nil
}

// ReviewCount counts the replies the filter selects, up to desk.MaxReviewCount+1.
func (s *Store) ReviewCount(ctx context.Context, f desk.ReviewFilter) (int, error) {
	f, err := s.sampleShare(ctx, f)
	if err != nil {
		return 0, err
	}
	where, args := queueWhere(s.d, f)
	var n int
	q := "SELECT COUNT(*) FROM (SELECT 1 FROM reply_coaching rc" + where + " LIMIT ?) AS q"
	if err := s.r.WithContext(ctx).Raw(q, append(args, desk.MaxReviewCount+1)...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("store: review count: %w", err)
	}
	return n, nil
}

// ReviewCounts is ReviewCount for each filter, counted side by side on the read pool: the queue
// page shows five, and the slowest alone is what the page waits for.
func (s *Store) ReviewCounts(ctx context.Context, fs []desk.ReviewFilter) ([]int, error) {
	out, errs := make([]int, len(fs)), make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Go(func() { out[i], errs[i] = s.ReviewCount(ctx, f) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// Review is one sent reply with everything its review needs.
func (s *Store) Review(ctx context.Context, messageID int64) (desk.Review, error) {
	db := s.r.WithContext(ctx)
	var row queueRow
	err := db.Raw("SELECT "+queueColumns+queueFrom+" WHERE rc.message_id = ?", messageID).Take(&row).Error
	if err != nil {
		return desk.Review{}, notFound(err, "No coached reply %d.", messageID)
	}
	rv := desk.Review{Item: row.item()}
	thread, err := s.Thread(ctx, row.TicketID)
	if err != nil {
		return rv, err
	}
	for i, m := range thread {
		if m.ID != messageID {
			continue
		}
		rv.Reply = m
		if m.Coaching != nil {
			rv.Coaching = *m.Coaching
		}
		for j := i - 1; j >= 0; j-- {
			if !thread[j].FromAgent {
				answered := thread[j]
				rv.Answered = &answered
				break
			}
		}
	}
	if err := s.loadReviewFindings(db, &rv); err != nil {
		return rv, err
	}
	var reviewer struct {
		Name       *string
		ReviewedAt *time.Time
	}
	err = db.Raw("SELECT u.name, rc.reviewed_at FROM reply_coaching rc LEFT JOIN users u ON u.id = rc.reviewed_by WHERE rc.message_id = ?", messageID).Scan(&reviewer).Error
	if err != nil {
		return rv, fmt.Errorf("store: reviewer of %d: %w", messageID, err)
	}
	if reviewer.Name != nil && reviewer.ReviewedAt != nil {
		rv.ReviewedBy, rv.ReviewedAt = *reviewer.Name, *reviewer.ReviewedAt
	}
	if rv.Comments, err = s.comments(db, "c.message_id = ?", messageID); err != nil {
		return rv, err
	}
	err = db.Raw(`SELECT u.name AS actor, l.action, l.detail, l.created_at FROM review_log l JOIN users u ON u.id = l.actor_id
		WHERE l.message_id = ? ORDER BY l.id`, messageID).Scan(&rv.Log).Error
	return rv, err
}

func (s *Store) loadReviewFindings(db *gorm.DB, rv *desk.Review) error {
	type verdictRow struct {
		FindingID int64
		Verdict   string
		By        string
	}
	var verdicts []verdictRow
	if err := db.Raw(`SELECT v.finding_id, v.verdict, u.name AS "by" FROM finding_verdicts v JOIN users u ON u.id = v.by_user_id
		WHERE v.message_id = ?`, rv.Item.MessageID).Scan(&verdicts).Error; err != nil {
		return fmt.Errorf("store: verdicts: %w", err)
	}
	disputes, err := s.disputes(db, "d.message_id = ?", rv.Item.MessageID)
	if err != nil {
		return err
	}
	for _, f := range rv.Coaching.Findings {
		rf := desk.ReviewFinding{CoachFinding: f}
		for _, v := range verdicts {
			if v.FindingID == f.ID {
				rf.Verdict, rf.VerdictBy = desk.Verdict(v.Verdict), v.By
			}
		}
		for i := range disputes {
			if disputes[i].FindingID == f.ID {
				rf.Dispute = &disputes[i]
			}
		}
		rv.Findings = append(rv.Findings, rf)
	}
	return db.Raw(`SELECT m.id, m.message_id, m.rule, m.start_pos AS start, m.end_pos AS "end", m.text, u.name AS "by", m.created_at
		FROM missed_findings m JOIN users u ON u.id = m.by_user_id WHERE m.message_id = ? ORDER BY m.start_pos`, rv.Item.MessageID).Scan(&rv.Missed).Error
}

func (s *Store) disputes(db *gorm.DB, cond string, arg any) ([]desk.Dispute, error) {
	type disputeRow struct {
		desk.Dispute
		Resolved *time.Time
	}
	var rows []disputeRow
	err := db.Raw(`SELECT d.finding_id, d.message_id, d.agent_id, d.reason, d.status, d.created_at,
		COALESCE(u.name, '') AS resolved_by, d.resolved_at AS resolved
		FROM finding_disputes d LEFT JOIN users u ON u.id = d.resolved_by WHERE `+cond+` ORDER BY d.created_at`, arg).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: disputes: %w", err)
	}
	out := make([]desk.Dispute, len(rows))
	for i, r := range rows {
		out[i] = r.Dispute
		if r.Resolved != nil {
			out[i].ResolvedAt = *r.Resolved
		}
	}
	return out, nil
}

func (s *Store) comments(db *gorm.DB, cond string, arg any) ([]desk.Comment, error) {
	type commentRow struct {
		desk.Comment
		Read     *time.Time
		Answered *time.Time
	}
	var rows []commentRow
	err := db.Raw(`SELECT c.id, c.message_id, t.number AS ticket_number, c.agent_id, u.name AS author, c.body, c.quote,
		c.created_at, c.read_at AS read, c.answer, c.answered_at AS answered
		FROM coaching_comments c JOIN users u ON u.id = c.author_id JOIN reply_coaching rc ON rc.message_id = c.message_id
		JOIN tickets t ON t.id = rc.ticket_id WHERE `+cond+` ORDER BY c.id DESC`, arg).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	out := make([]desk.Comment, len(rows))
	for i, r := range rows {
		out[i] = r.Comment
		if r.Read != nil {
			out[i].ReadAt = *r.Read
		}
		if r.Answered != nil {
			out[i].AnsweredAt = *r.Answered
		}
	}
	return out, nil
}

// logReview records one review action in the same transaction as the action.
func logReview(tx *gorm.DB, now time.Time, messageID, findingID, actorID int64, action, detail string) error {
	var fid any
	if findingID != 0 {
		fid = findingID
	}
	return tx.Exec("INSERT INTO review_log (message_id, finding_id, actor_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		messageID, fid, actorID, action, detail, now).Error
}

type findingOwner struct {
	MessageID   int64
	AgentID     int64
	Rule        string
	Lang        string
	PackVersion string
}

func findingOf(tx *gorm.DB, findingID int64) (findingOwner, error) {
	var o findingOwner
	err := tx.Raw(`SELECT f.message_id, f.agent_id, f.rule, rc.lang, rc.pack_version FROM coaching_findings f
		JOIN reply_coaching rc ON rc.message_id = f.message_id WHERE f.id = ?`, findingID).Take(&o).Error
	return o, notFound(err, "No finding %d.", findingID)
}

// SetVerdict records a lead's verdict on a finding, replacing an earlier one.
func (s *Store) SetVerdict(ctx context.Context, findingID, leadID int64, v desk.Verdict) error {
	if !v.Valid() {
		return desk.Errorf(desk.EINVALID, "verdict", "Unknown verdict %q: use confirmed, false_positive, exception or unsure.", v)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		o, err := findingOf(tx, findingID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		err = tx.Exec(`INSERT INTO finding_verdicts (finding_id, message_id, rule, lang, pack_version, verdict, by_user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (finding_id) DO UPDATE SET verdict = excluded.verdict,
			by_user_id = excluded.by_user_id, created_at = excluded.created_at`,
			findingID, o.MessageID, o.Rule, o.Lang, o.PackVersion, string(v), leadID, now).Error
		if err != nil {
			return err
		}
		return logReview(tx, now, o.MessageID, findingID, leadID, "verdict", o.Rule+": "+string(v))
	})
}

// MarkReviewed closes a reply's review.
func (s *Store) MarkReviewed(ctx context.Context, messageID, leadID int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		res := tx.Exec("UPDATE reply_coaching SET reviewed_by = ?, reviewed_at = ? WHERE message_id = ?", leadID, now, messageID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmtDeskNotFound("No coached reply %d.", messageID)
		}
		return logReview(tx, now, messageID, 0, leadID, "reviewed", "")
	})
}

// AddComment writes a lead's coaching comment to the reply's agent; quote, if any, is a passage of the reply.
func (s *Store) AddComment(ctx context.Context, messageID, leadID int64, body, quote string) (desk.Comment, error) {
	body, quote = strings.TrimSpace(strings.ReplaceAll(body, "\x00", "")), strings.TrimSpace(quote)
	var reply struct {
		AgentID int64
		Body    string
	}
	err := s.r.WithContext(ctx).Raw("SELECT rc.agent_id, m.body FROM reply_coaching rc JOIN messages m ON m.id = rc.message_id WHERE rc.message_id = ?", messageID).Take(&reply).Error
	if err != nil {
		return desk.Comment{}, notFound(err, "No coached reply %d.", messageID)
	}
	var p desk.Problems
	switch {
	case body == "":
		p.Add(desk.Required("comment", "Write the comment."))
	case len(body) > desk.MaxComment:
		p.Add(desk.TooLong(desk.EINVALID, "comment", "Keep the comment under %d characters.", desk.MaxComment))
	}
	if quote != "" && !strings.Contains(reply.Body, quote) {
		p.Add(desk.Errorf(desk.EINVALID, "quote", "The quote must be a passage of the reply."))
	}
	if err := p.Err(); err != nil {
		return desk.Comment{}, err
	}
	now := s.now().UTC()
	c := desk.Comment{MessageID: messageID, AgentID: reply.AgentID, Body: body, Quote: quote, CreatedAt: now}
	err = s.write(ctx, func(tx *gorm.DB) error {
		err := tx.Raw(`INSERT INTO coaching_comments (message_id, agent_id, author_id, body, quote, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			messageID, reply.AgentID, leadID, body, quote, now).Scan(&c.ID).Error
		if err != nil {
			return err
		}
		return logReview(tx, now, messageID, 0, leadID, "comment", "")
	})
	return c, err
}

// AddMissed records a finding the coach should have made; rule must be a known rule id (the caller checks).
func (s *Store) AddMissed(ctx context.Context, messageID, leadID int64, rule string, start, end int) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var reply struct {
			Lang string
			Body string
		}
		err := tx.Raw("SELECT rc.lang, m.body FROM reply_coaching rc JOIN messages m ON m.id = rc.message_id WHERE rc.message_id = ?", messageID).Take(&reply).Error
		if err != nil {
			return notFound(err, "No coached reply %d.", messageID)
		}
		if start < 0 || end <= start || end > len(reply.Body) {
			return desk.Errorf(desk.EINVALID, "span", "Mark a passage of the reply (%d-%d is outside it).", start, end)
		}
		now := s.now().UTC()
		err = tx.Exec(`INSERT INTO missed_findings (message_id, rule, lang, start_pos, end_pos, text, by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			messageID, rule, reply.Lang, start, end, reply.Body[start:end], leadID, now).Error
		if err != nil {
			return err
		}
		return logReview(tx, now, messageID, 0, leadID, "missed", rule)
	})
}

// Dispute lets the reply's agent object once to a confirmed finding, within the deadline.
func (s *Store) Dispute(ctx context.Context, findingID, agentID int64, reason string) error {
	reason = strings.TrimSpace(strings.ReplaceAll(reason, "\x00", ""))
	switch {
	case reason == "":
		return desk.Required("reason", "Say why the finding is wrong.")
	case len(reason) > desk.MaxDisputeReason:
		return desk.TooLong(desk.EINVALID, "reason", "Keep the reason under %d characters.", desk.MaxDisputeReason)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		o, err := findingOf(tx, findingID)
		if err != nil {
			return err
		}
		if o.AgentID != agentID {
			return desk.Errorf(desk.EFORBIDDEN, "", "Only the agent who sent the reply can dispute its findings.")
		}
		var v struct {
			Verdict   string
			CreatedAt time.Time
		}
		err = tx.Raw("SELECT verdict, created_at FROM finding_verdicts WHERE finding_id = ?", findingID).Take(&v).Error
		now := s.now().UTC()
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && v.Verdict != string(desk.VerdictConfirmed)):
			return desk.Errorf(desk.ECONFLICT, "finding", "Only a confirmed finding can be disputed.")
		case err != nil:
			return err
		}
		rs, err := reviewSettings(tx)
		if err != nil {
			return err
		}
		if now.After(desk.AddWorkingDays(v.CreatedAt, rs.DisputeDays)) {
			return desk.Errorf(desk.ECONFLICT, "finding", "The time to dispute this finding has passed (%d working days).", rs.DisputeDays)
		}
		res := tx.Exec(`INSERT INTO finding_disputes (finding_id, message_id, agent_id, reason, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (finding_id) DO NOTHING`, findingID, o.MessageID, agentID, reason, now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return desk.Errorf(desk.ECONFLICT, "finding", "This finding has already been disputed once.")
		}
		return logReview(tx, now, o.MessageID, findingID, agentID, "dispute", o.Rule)
	})
}

// ResolveDispute decides an open dispute: upheld counts the finding as a false positive.
func (s *Store) ResolveDispute(ctx context.Context, findingID, leadID int64, upheld bool) error {
	status := desk.DisputeRejected
	if upheld {
		status = desk.DisputeUpheld
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		res := tx.Exec("UPDATE finding_disputes SET status = ?, resolved_by = ?, resolved_at = ? WHERE finding_id = ? AND status = 'open'",
			status, leadID, now, findingID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return desk.Errorf(desk.ECONFLICT, "finding", "There is no open dispute on this finding.")
		}
		o, err := findingOf(tx, findingID)
		if err != nil {
			return err
		}
		return logReview(tx, now, o.MessageID, findingID, leadID, "dispute_"+status, o.Rule)
	})
}

// MyCoaching is what one agent sees: the comments to them and their disputes, newest first.
func (s *Store) MyCoaching(ctx context.Context, agentID int64) ([]desk.Comment, []desk.Dispute, error) {
	db := s.r.WithContext(ctx)
	comments, err := s.comments(db, "c.agent_id = ?", agentID)
	if err != nil {
		return nil, nil, err
	}
	disputes, err := s.disputes(db, "d.agent_id = ?", agentID)
	return comments, disputes, err
}

// ConfirmedFindings lists the confirmed findings on an agent's replies, newest verdict first, with
// the deadline to dispute each and the dispute's state.
func (s *Store) ConfirmedFindings(ctx context.Context, agentID int64, limit int) ([]desk.DisputableFinding, error) {
	var out []desk.DisputableFinding
	err := s.r.WithContext(ctx).Raw(`SELECT f.id AS finding_id, f.message_id, t.number AS ticket_number, f.rule, f.text,
		v.created_at AS confirmed_at, COALESCE(d.status, '') AS dispute
		FROM finding_verdicts v JOIN coaching_findings f ON f.id = v.finding_id
		JOIN reply_coaching rc ON rc.message_id = f.message_id JOIN tickets t ON t.id = rc.ticket_id
		LEFT JOIN finding_disputes d ON d.finding_id = f.id
		WHERE f.agent_id = ? AND v.verdict = 'confirmed' ORDER BY v.created_at DESC LIMIT ?`, agentID, limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: confirmed findings: %w", err)
	}
	rs, err := s.ReviewSettings(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Deadline = desk.AddWorkingDays(out[i].ConfirmedAt, rs.DisputeDays)
	}
	return out, nil
}

// MarkCommentRead and AnswerComment are the agent's side of a comment; only the addressee may.
func (s *Store) MarkCommentRead(ctx context.Context, commentID, agentID int64) error {
	return s.commentAction(ctx, commentID, agentID, func(tx *gorm.DB, now time.Time) *gorm.DB {
		return tx.Exec("UPDATE coaching_comments SET read_at = COALESCE(read_at, ?) WHERE id = ?", now, commentID)
	}, "read")
}

func (s *Store) AnswerComment(ctx context.Context, commentID, agentID int64, answer string) error {
	answer = strings.TrimSpace(strings.ReplaceAll(answer, "\x00", ""))
	switch {
	case answer == "":
		return desk.Required("answer", "Write your answer.")
	case len(answer) > desk.MaxComment:
		return desk.TooLong(desk.EINVALID, "answer", "Keep the answer under %d characters.", desk.MaxComment)
	}
	return s.commentAction(ctx, commentID, agentID, func(tx *gorm.DB, now time.Time) *gorm.DB {
		return tx.Exec("UPDATE coaching_comments SET answer = ?, answered_at = ?, read_at = COALESCE(read_at, ?) WHERE id = ? AND answered_at IS NULL",
			answer, now, now, commentID)
	}, "answer")
}

func (s *Store) commentAction(ctx context.Context, commentID, agentID int64, update func(*gorm.DB, time.Time) *gorm.DB, action string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		var c struct{ MessageID, AgentID int64 }
		if err := tx.Raw("SELECT message_id, agent_id FROM coaching_comments WHERE id = ?", commentID).Take(&c).Error; err != nil {
			return notFound(err, "No comment %d.", commentID)
		}
		if c.AgentID != agentID {
			return desk.Errorf(desk.EFORBIDDEN, "", "This comment is addressed to another agent.")
		}
		now := s.now().UTC()
		res := update(tx, now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return desk.Errorf(desk.ECONFLICT, "answer", "You have already answered this comment.")
		}
		return logReview(tx, now, c.MessageID, 0, agentID, "comment_"+action, "")
	})
}

// Precision sums the verdicts per rule × language × pack version; an upheld dispute turns a
// confirmation into a false positive. Missed and Sampled come from the random share.
func (s *Store) Precision(ctx context.Context) ([]desk.Precision, error) {
	db := s.r.WithContext(ctx)
	var out []desk.Precision
	// Verdicts counted in the order of their index (no sort), then the upheld disputes, which are
	// few, moved from confirmed to false positive.
	var counts []struct {
		Rule, Lang, PackVersion, Verdict string
		N                                int
	}
	if err := db.Raw(`SELECT rule, lang, pack_version, verdict, COUNT(*) AS n FROM finding_verdicts
		GROUP BY rule, lang, pack_version, verdict ORDER BY rule, lang, pack_version, verdict`).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("store: precision: %w", err)
	}
	var upheld []struct {
		Rule, Lang, PackVersion string
		N                       int
	}
	if err := db.Raw(`SELECT v.rule, v.lang, v.pack_version, COUNT(*) AS n FROM finding_disputes d
		JOIN finding_verdicts v ON v.finding_id = d.finding_id WHERE d.status = 'upheld' AND v.verdict = 'confirmed'
		GROUP BY 1, 2, 3`).Scan(&upheld).Error; err != nil {
		return nil, fmt.Errorf("store: upheld disputes: %w", err)
	}
	row := func(rule, lang, pack string) *desk.Precision {
		if n := len(out); n > 0 && out[n-1].Rule == rule && out[n-1].Lang == lang && out[n-1].PackVersion == pack {
			return &out[n-1]
		}
		out = append(out, desk.Precision{Rule: rule, Lang: lang, PackVersion: pack})
		return &out[len(out)-1]
	}
	for _, c := range counts {
		p := row(c.Rule, c.Lang, c.PackVersion)
		switch desk.Verdict(c.Verdict) {
		case desk.VerdictConfirmed:
			p.Confirmed += c.N
		case desk.VerdictFalsePositive:
			p.FalsePositive += c.N
		case desk.VerdictException:
			p.Exceptions += c.N
		case desk.VerdictUnsure:
			p.Unsure += c.N
		}
	}
	for _, u := range upheld {
		for i := range out {
			if p := &out[i]; p.Rule == u.Rule && p.Lang == u.Lang && p.PackVersion == u.PackVersion {
				p.Confirmed, p.FalsePositive = p.Confirmed-u.N, p.FalsePositive+u.N
			}
		}
	}
	var missed []struct {
		Rule, Lang string
		N          int
	}
	if err := db.Raw("SELECT rule, lang, COUNT(*) AS n FROM missed_findings GROUP BY rule, lang").Scan(&missed).Error; err != nil {
		return nil, fmt.Errorf("store: missed: %w", err)
	}
	var sampled []struct {
		Lang string
		N    int
	}
	// Pinned: ANALYZE writes no statistics for an empty index, and the planner then prefers the
	// random share's own index and reads every reply of it (0.4 s at a million).
	if err := db.Raw(`SELECT lang, COUNT(*) AS n FROM ` + dialectOf(db).indexedBy("reply_coaching", "reply_coaching_sampled_reviewed") + `
		WHERE finding_count = 0 AND reviewed_at IS NOT NULL GROUP BY lang`).Scan(&sampled).Error; err != nil {
		return nil, fmt.Errorf("store: sampled: %w", err)
	}
	for _, m := range missed {
		i := indexPrecision(out, m.Rule, m.Lang)
		if i < 0 {
			out = append(out, desk.Precision{Rule: m.Rule, Lang: m.Lang})
			i = len(out) - 1
		}
		out[i].Missed += m.N
	}
	for i := range out {
		for _, sm := range sampled {
			if sm.Lang == out[i].Lang {
				out[i].Sampled = sm.N
			}
		}
	}
	return out, nil
}

func indexPrecision(ps []desk.Precision, rule, lang string) int {
	for i, p := range ps {
		if p.Rule == rule && p.Lang == lang {
			return i
		}
	}
	return -1
}

// TopDismissals lists the phrases behind most false positives and exceptions, most first: the
// pattern the coach reported (the word, for a word list), else the words the finding covered.
func (s *Store) TopDismissals(ctx context.Context, limit int) ([]desk.Dismissal, error) {
	var out []desk.Dismissal
	err := s.r.WithContext(ctx).Raw(`SELECT v.rule, v.lang, lower(COALESCE(NULLIF(f.match_pattern, ''), f.text)) AS phrase, COUNT(*) AS n
		FROM finding_verdicts v JOIN coaching_findings f ON f.id = v.finding_id
		WHERE v.verdict IN ('false_positive', 'exception') GROUP BY 1, 2, 3 ORDER BY n DESC, phrase LIMIT ?`, limit).Scan(&out).Error
	return out, err
}

// FindingMessage is the reply a finding belongs to.
func (s *Store) FindingMessage(ctx context.Context, findingID int64) (int64, error) {
	var id int64
	err := s.r.WithContext(ctx).Raw("SELECT message_id FROM coaching_findings WHERE id = ?", findingID).Take(&id).Error
	return id, notFound(err, "No finding %d.", findingID)
}
