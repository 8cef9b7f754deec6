package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// The WHERE makes the revision check part of the write itself, so concurrent saves cannot race it.
const upsertDraft = `INSERT INTO drafts (ticket_id, user_id, kind, lang, body, rev, updated_at, seen_findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (ticket_id, user_id) DO UPDATE SET kind = excluded.kind, lang = excluded.lang, body = excluded.body,
		rev = excluded.rev, updated_at = excluded.updated_at, seen_findings = excluded.seen_findings
	WHERE excluded.rev > drafts.rev`

// SaveDraft keeps what an agent is typing on a ticket, unless a save with a higher Rev is already
// stored. It returns the draft as stored now and whether this save was the one applied.
func (s *Store) SaveDraft(ctx context.Context, d desk.Draft) (desk.Draft, bool, error) {
	if d.Kind == "" {
		d.Kind = desk.KindReply
	}
	switch {
	case len(d.Body) > desk.MaxBody:
		return d, false, desk.Errorf(desk.ETOOLARGE, "body", "Message is larger than %d KB.", desk.MaxBody>>10)
	case !d.Kind.Valid():
		return d, false, desk.Errorf(desk.EINVALID, "kind", "Unknown message kind %q: use reply or note.", d.Kind)
	case !validDraftLang(d.Lang):
		return d, false, desk.Errorf(desk.EINVALID, "lang", "Unknown language %q: use da, nb, sv, en or auto.", d.Lang)
	case d.Rev <= 0 || d.Rev > desk.MaxDraftRev:
		return d, false, desk.Errorf(desk.EINVALID, "rev", "rev must be a whole number from 1 to %d.", int64(desk.MaxDraftRev))
	}
	var row draftRow
	applied := false
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&ticketRow{}).Where("id = ?", d.TicketID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fmtDeskNotFound("Ticket %d does not exist.", d.TicketID)
		}
		seen, err := seenFindings(tx, d.TicketID, d.UserID)
		if err != nil {
			return err
		}
		for rule, n := range d.Seen {
			seen[rule] = max(seen[rule], n)
		}
		res := tx.Exec(upsertDraft, d.TicketID, d.UserID, string(d.Kind), d.Lang, d.Body, d.Rev, s.now().UTC(), encodeSeen(seen))
		if res.Error != nil {
			return res.Error
		}
		applied = res.RowsAffected > 0
		return tx.Where("ticket_id = ? AND user_id = ?", d.TicketID, d.UserID).Take(&row).Error
	})
	if err != nil {
		return d, false, fmt.Errorf("store: save draft on %d: %w", d.TicketID, err)
	}
	return row.draft(), applied, nil
}

// Draft returns an agent's draft on a ticket; with none stored it is empty with Rev 0. A sent
// draft comes back empty with its Rev, so the client keeps counting above it.
func (s *Store) Draft(ctx context.Context, ticketID, userID int64) (desk.Draft, error) {
	var row draftRow
	err := s.r.WithContext(ctx).Where("ticket_id = ? AND user_id = ?", ticketID, userID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return desk.Draft{TicketID: ticketID, UserID: userID}, nil
	}
	if err != nil {
		return desk.Draft{}, fmt.Errorf("store: draft on %d: %w", ticketID, err)
	}
	return row.draft(), nil
}

// clearDraft empties the sender's draft, leaving its revision at least at the one the send covered.
// Without a revision it only empties a stored draft, so sends from the API leave no rows behind.
func clearDraft(tx *gorm.DB, m desk.NewMessage, now time.Time) error {
	if m.UserID == 0 {
		return nil
	}
	if m.DraftRev <= 0 {
		return tx.Exec("UPDATE drafts SET body = '', seen_findings = '', updated_at = ? WHERE ticket_id = ? AND user_id = ?", now, m.TicketID, m.UserID).Error
	}
	return tx.Exec(`INSERT INTO drafts (ticket_id, user_id, kind, lang, body, rev, updated_at) VALUES (?, ?, ?, '', '', ?, ?)
		ON CONFLICT (ticket_id, user_id) DO UPDATE SET body = '', seen_findings = '', rev = `+dialectOf(tx).greatest("drafts.rev", "excluded.rev")+`, updated_at = excluded.updated_at`,
		m.TicketID, m.UserID, string(m.Kind), m.DraftRev, now).Error
}

// validDraftLang accepts what the composer's language choice sends: a language, auto, or nothing.
func validDraftLang(lang string) bool {
	return lang == "" || lang == "auto" || desk.ValidLanguage(lang)
}

// seenFindings reads what the coach has shown on a draft so far, as counts per rule.
func seenFindings(tx *gorm.DB, ticketID, userID int64) (map[string]int, error) {
	var stored []string
	if err := tx.Raw("SELECT seen_findings FROM drafts WHERE ticket_id = ? AND user_id = ?", ticketID, userID).Scan(&stored).Error; err != nil {
		return nil, err
	}
	seen := map[string]int{}
	if len(stored) == 0 {
		return seen, nil
	}
	for _, line := range strings.Split(stored[0], "\n") {
		rule, n, ok := strings.Cut(line, "=")
		if k, err := strconv.Atoi(n); ok && err == nil && rule != "" {
			seen[rule] = k
		}
	}
	return seen, nil
}

// encodeSeen stores counts per rule as sorted "rule=n" lines.
func encodeSeen(seen map[string]int) string {
	lines := make([]string, 0, len(seen))
	for rule, n := range seen {
		if n > 0 {
			lines = append(lines, rule+"="+strconv.Itoa(n))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
