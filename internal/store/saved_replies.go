package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

func (r savedReplyRow) savedReply() desk.SavedReply {
	return desk.SavedReply{ID: r.ID, Title: r.Title, Body: r.Body, UpdatedAt: r.UpdatedAt}
}

func (s *Store) SavedReplies(ctx context.Context) ([]desk.SavedReply, error) {
	var rows []savedReplyRow
	if err := s.r.WithContext(ctx).Order("title").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: saved replies: %w", err)
	}
	out := make([]desk.SavedReply, len(rows))
	for i, r := range rows {
		out[i] = r.savedReply()
	}
	return out, nil
}

func (s *Store) SavedReply(ctx context.Context, id int64) (desk.SavedReply, error) {
	var row savedReplyRow
	err := s.r.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	return row.savedReply(), notFound(err, "Saved reply %d does not exist.", id)
}

// SaveReply creates a saved reply (id 0) or replaces the text of an existing one.
func (s *Store) SaveReply(ctx context.Context, id, byUserID int64, in desk.SavedReplyInput) (desk.SavedReply, error) {
	if err := in.Normalize(); err != nil {
		return desk.SavedReply{}, err
	}
	now := s.now()
	row := savedReplyRow{ID: id, Title: in.Title, Body: in.Body, CreatedBy: &byUserID, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if id == 0 {
			return tx.Create(&row).Error
		}
		res := tx.Model(&savedReplyRow{}).Where("id = ?", id).Updates(map[string]any{"title": in.Title, "body": in.Body, "updated_at": now})
		if res.Error == nil && res.RowsAffected == 0 {
			return fmtDeskNotFound("Saved reply %d does not exist.", id)
		}
		return res.Error
	})
	if err != nil {
		return desk.SavedReply{}, fmt.Errorf("store: save reply: %w", err)
	}
	return row.savedReply(), nil
}

func (s *Store) DeleteSavedReply(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Delete(&savedReplyRow{}, id).Error
	})
}
