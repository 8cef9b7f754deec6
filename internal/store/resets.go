package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
)

// ResetValidity is how long an admin's reset code works: enough to reach a colleague the next
// working day, short enough that a code forgotten in a chat dies on its own.
const ResetValidity = 24 * time.Hour

// ResetStatus says what a reset code can still do.
type ResetStatus int

const (
	ResetValid   ResetStatus = iota // unused and unexpired: it sets a password once
	ResetUnknown                    // never issued, or replaced by a newer code for the same user
	ResetExpired
	ResetUsed
)

type passwordResetRow struct {
	ID        int64
	UserID    int64
	CodeHash  string
	CreatedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (passwordResetRow) TableName() string { return "password_resets" }

// CreateReset issues a one-time code that lets userID set a new password, and returns it once;
// only its hash is kept. The user's earlier unused codes stop working.
func (s *Store) CreateReset(ctx context.Context, userID, byID int64) (code string, expires time.Time, err error) {
	code, err = auth.NewResetCode()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	row := passwordResetRow{UserID: userID, CodeHash: auth.HashToken(code), CreatedAt: now, ExpiresAt: now.Add(ResetValidity)}
	if byID != 0 {
		row.CreatedBy = &byID
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&userRow{}).Where("id = ?", userID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fmtDeskNotFound("No user %d.", userID)
		}
		if err := tx.Where("user_id = ? AND used_at IS NULL", userID).Delete(&passwordResetRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("store: create password reset for user %d: %w", userID, err)
	}
	return code, row.ExpiresAt, nil
}

// CheckReset finds the user a code belongs to and whether it still works, without using it.
func (s *Store) CheckReset(ctx context.Context, code string) (desk.User, ResetStatus, error) {
	u, _, status, err := s.reset(s.r.WithContext(ctx), code)
	if err != nil {
		return desk.User{}, status, fmt.Errorf("store: check password reset: %w", err)
	}
	return u, status, nil
}

// UseReset sets the new password hash with a code that still works, marks the code used and ends
// every session of its user, all in one transaction: a code sets a password once.
func (s *Store) UseReset(ctx context.Context, code, hash string) (desk.User, ResetStatus, error) {
	var u desk.User
	var status ResetStatus
	err := s.write(ctx, func(tx *gorm.DB) error {
		var row passwordResetRow
		var err error
		u, row, status, err = s.reset(tx, code)
		if err != nil || status != ResetValid {
			return err
		}
		now := s.now()
		// The used_at guard makes a second use lose even if two tabs got here together.
		res := tx.Model(&passwordResetRow{}).Where("id = ? AND used_at IS NULL", row.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			status = ResetUsed
			return nil
		}
		return tx.Model(&userRow{}).Where("id = ?", u.ID).
			Updates(map[string]any{"password_hash": hash, "session_epoch": gorm.Expr("session_epoch + 1")}).Error
	})
	if err != nil {
		return desk.User{}, status, fmt.Errorf("store: use password reset: %w", err)
	}
	return u, status, nil
}

// reset looks a code up in tx and says what it can do; a blocked user's code does not work.
func (s *Store) reset(tx *gorm.DB, code string) (desk.User, passwordResetRow, ResetStatus, error) {
	var row passwordResetRow
	err := tx.Where("code_hash = ?", auth.HashToken(code)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return desk.User{}, row, ResetUnknown, nil
	}
	if err != nil {
		return desk.User{}, row, ResetUnknown, err
	}
	var u userRow
	err = tx.Where("id = ?", row.UserID).Take(&u).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !u.Active):
		return desk.User{}, row, ResetUnknown, nil
	case err != nil:
		return desk.User{}, row, ResetUnknown, err
	case row.UsedAt != nil:
		return u.user(), row, ResetUsed, nil
	case !s.now().Before(row.ExpiresAt):
		return u.user(), row, ResetExpired, nil
	}
	return u.user(), row, ResetValid, nil
}
