package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// The review's thresholds live in one row (migration 00016); every change also goes to review_settings_log.

type reviewSettingsRow struct {
	MinLower    float64
	MinVerdicts int
	SampleShare int
	DisputeDays int
	UpdatedBy   *string
	UpdatedAt   *time.Time
}

// reviewSettings reads the row through db (a transaction or the reader); without it, the defaults.
func reviewSettings(db *gorm.DB) (desk.ReviewSettings, error) {
	var row reviewSettingsRow
	err := db.Raw(`SELECT rs.min_lower, rs.min_verdicts, rs.sample_share, rs.dispute_days, u.name AS updated_by, rs.updated_at
		FROM review_settings rs LEFT JOIN users u ON u.id = rs.updated_by WHERE rs.id = 1`).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return desk.DefaultReviewSettings(), nil
	}
	if err != nil {
		return desk.DefaultReviewSettings(), fmt.Errorf("store: review settings: %w", err)
	}
	rs := desk.ReviewSettings{MinLower: row.MinLower, MinVerdicts: row.MinVerdicts, SampleShare: row.SampleShare, DisputeDays: row.DisputeDays}
	if row.UpdatedBy != nil {
		rs.UpdatedBy = *row.UpdatedBy
	}
	if row.UpdatedAt != nil {
		rs.UpdatedAt = row.UpdatedAt.UTC()
	}
	return rs, nil
}

// ReviewSettings are the review's thresholds in force: the send gate's bar, the queue's default
// random share and the dispute deadline.
func (s *Store) ReviewSettings(ctx context.Context) (desk.ReviewSettings, error) {
	return reviewSettings(s.r.WithContext(ctx))
}

// SaveReviewSettings replaces the thresholds, recording who changed them and when.
// Errors: every setting out of range at once (desk.Problems): min_lower, min_verdicts, sample_share, dispute_days.
func (s *Store) SaveReviewSettings(ctx context.Context, rs desk.ReviewSettings, byUserID int64) error {
	if err := rs.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		err := tx.Exec(`INSERT INTO review_settings (id, min_lower, min_verdicts, sample_share, dispute_days, updated_by, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET min_lower = excluded.min_lower, min_verdicts = excluded.min_verdicts,
				sample_share = excluded.sample_share, dispute_days = excluded.dispute_days,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			rs.MinLower, rs.MinVerdicts, rs.SampleShare, rs.DisputeDays, byUserID, now).Error
		if err != nil {
			return fmt.Errorf("store: save review settings: %w", err)
		}
		return tx.Exec(`INSERT INTO review_settings_log (actor_id, min_lower, min_verdicts, sample_share, dispute_days, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, byUserID, rs.MinLower, rs.MinVerdicts, rs.SampleShare, rs.DisputeDays, now).Error
	})
}

// sampleShare resolves desk.SampleConfigured (or any share out of 0–100) to the settings' share.
func (s *Store) sampleShare(ctx context.Context, f desk.ReviewFilter) (desk.ReviewFilter, error) {
	if f.SampleRate >= 0 && f.SampleRate <= 100 {
		return f, nil
	}
	rs, err := s.ReviewSettings(ctx)
	if err != nil {
		return f, err
	}
	f.SampleRate = rs.SampleShare
	return f, nil
}
