package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
)

// IssueToken creates a named token for the user with that e-mail and returns its secret once;
// only the hash is kept. A zero expires means it does not expire.
func (s *Store) IssueToken(ctx context.Context, email, name string, integration bool, expires time.Time) (string, desk.Token, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", desk.Token{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "token"
	}
	secret, err := auth.NewToken()
	if err != nil {
		return "", desk.Token{}, err
	}
	row := apiTokenRow{UserID: u.ID, TokenHash: auth.HashToken(secret), CreatedAt: s.now(), Name: name, Integration: integration}
	if !expires.IsZero() {
		e := expires.UTC()
		row.ExpiresAt = &e
	}
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return "", desk.Token{}, fmt.Errorf("store: create token: %w", err)
	}
	return secret, row.token(u.Email), nil
}

// Authenticate finds the active user and the unexpired token a secret belongs to, and notes its use.
func (s *Store) Authenticate(ctx context.Context, secret string) (desk.User, desk.Token, error) {
	var k apiTokenRow
	err := s.r.WithContext(ctx).Where("token_hash = ? AND (expires_at IS NULL OR expires_at > ?)", auth.HashToken(secret), s.now()).Take(&k).Error
	if err != nil {
		return desk.User{}, desk.Token{}, notFound(err, "Unknown API token.")
	}
	u, err := s.UserByID(ctx, k.UserID)
	if err != nil || !u.Active {
		return desk.User{}, desk.Token{}, fmtDeskNotFound("Unknown API token.")
	}
	// At most one write a minute per token, so reads through the API do not queue on the writer.
	if now := s.now(); k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		_ = s.write(ctx, func(tx *gorm.DB) error {
			return tx.Model(&apiTokenRow{}).Where("id = ?", k.ID).Update("last_used_at", now).Error
		})
		k.LastUsedAt = &now
	}
	return u, k.token(u.Email), nil
}

// Tokens lists the tokens of one user, or of everyone when userID is 0, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]desk.Token, error) {
	var rows []apiTokenRow
	q := s.r.WithContext(ctx).Order("id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	var users []userRow
	if err := s.r.WithContext(ctx).Select("id, email").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	emails := make(map[int64]string, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	tokens := make([]desk.Token, len(rows))
	for i, r := range rows {
		tokens[i] = r.token(emails[r.UserID])
	}
	return tokens, nil
}

// RevokeToken deletes a token; with ownerID other than 0, only if it is that user's.
func (s *Store) RevokeToken(ctx context.Context, id, ownerID int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		q := tx.Where("id = ?", id)
		if ownerID != 0 {
			q = q.Where("user_id = ?", ownerID)
		}
		res := q.Delete(&apiTokenRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return fmtDeskNotFound("No token %d.", id)
		}
		return res.Error
	})
}

func (r apiTokenRow) token(owner string) desk.Token {
	return desk.Token{ID: r.ID, UserID: r.UserID, Owner: owner, Name: r.Name, Integration: r.Integration,
		CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, ExpiresAt: r.ExpiresAt}
}

// TokenPostField is the audit-trail field of a customer's message an integration's token posted.
const TokenPostField = "via_token"

// noteTokenPost records, in the message's own transaction, which integration's token posted it.
func noteTokenPost(tx *gorm.DB, ticketID int64, tok desk.Token, now time.Time) error {
	owner := tok.UserID
	return tx.Create(&eventRow{TicketID: ticketID, ActorUserID: &owner, Field: TokenPostField, NewValue: tok.Name, CreatedAt: now}).Error
}
