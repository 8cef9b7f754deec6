package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
)

// PackVersion is one published version of a language's coaching pack.
type PackVersion struct {
	ID           int64
	Lang         string
	Version      int
	Body         string // the pack's YAML
	PackVersion  string // what findings made by it store as pack_version
	AuthorID     *int64
	AuthorName   string
	Reason       string
	RestoredFrom *int
	CreatedAt    time.Time
}

func (PackVersion) TableName() string { return "coach_pack_versions" }

// PackDraft is the admins' working copy of a language's pack.
type PackDraft struct {
	Lang        string `gorm:"primaryKey"`
	Body        string
	BaseVersion int
	UpdatedBy   *int64
	UpdatedAt   time.Time
}

func (PackDraft) TableName() string { return "coach_pack_drafts" }

// LatestPackID is the id of the newest published version of any language (0 when none): a cheap
// question other instances ask every few seconds to notice a publish.
func (s *Store) LatestPackID(ctx context.Context) (int64, error) {
	var id *int64
	if err := s.r.WithContext(ctx).Raw("SELECT MAX(id) FROM coach_pack_versions").Scan(&id).Error; err != nil {
		return 0, fmt.Errorf("store: latest pack: %w", err)
	}
	if id == nil {
		return 0, nil
	}
	return *id, nil
}

// CurrentPacks are the newest published version of each language that has one.
func (s *Store) CurrentPacks(ctx context.Context) ([]PackVersion, error) {
	var out []PackVersion
	err := s.r.WithContext(ctx).Where("id IN (SELECT MAX(id) FROM coach_pack_versions GROUP BY lang)").Order("lang").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: current packs: %w", err)
	}
	return out, nil
}

// PackVersions lists a language's published versions, newest first, without their bodies.
func (s *Store) PackVersions(ctx context.Context, lang string) ([]PackVersion, error) {
	var out []PackVersion
	err := s.r.WithContext(ctx).Omit("body").Where("lang = ?", lang).Order("version DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: pack versions %s: %w", lang, err)
	}
	return out, nil
}

// PackVersionOf is one published version; not_found if there is none.
func (s *Store) PackVersionOf(ctx context.Context, lang string, version int) (PackVersion, error) {
	var v PackVersion
	err := s.r.WithContext(ctx).Where("lang = ? AND version = ?", lang, version).Take(&v).Error
	return v, notFound(err, "Version %d of the %s pack does not exist.", version, lang)
}

// PublishPack stores a new version of lang's pack (numbered one past the newest) and drops the
// draft; base is the version the change was made against, and a publish over a newer version than
// base is refused with conflict on field "version", so two admins cannot overwrite each other.
func (s *Store) PublishPack(ctx context.Context, v PackVersion, base int) (PackVersion, error) {
	v.CreatedAt = s.now()
	err := s.write(ctx, func(tx *gorm.DB) error {
		var cur *int
		if err := tx.Raw("SELECT MAX(version) FROM coach_pack_versions WHERE lang = ?", v.Lang).Scan(&cur).Error; err != nil {
			return err
		}
		n := 0
		if cur != nil {
			n = *cur
		}
		if base >= 0 && n != base {
			return desk.Errorf(desk.ECONFLICT, "version", "Version %d of the %s pack was published while you worked; reload to see it.", n, v.Lang)
		}
		v.ID, v.Version = 0, n+1
		if err := tx.Create(&v).Error; err != nil {
			return err
		}
		return tx.Where("lang = ?", v.Lang).Delete(&PackDraft{}).Error
	})
	if err != nil {
		return PackVersion{}, fmt.Errorf("store: publish pack %s: %w", v.Lang, err)
	}
	return v, nil
}

// NextPackVersion is the number the next publish of lang gets.
func (s *Store) NextPackVersion(ctx context.Context, lang string) (int, error) {
	var cur *int
	if err := s.r.WithContext(ctx).Raw("SELECT MAX(version) FROM coach_pack_versions WHERE lang = ?", lang).Scan(&cur).Error; err != nil {
		return 0, fmt.Errorf("store: next pack version: %w", err)
	}
	if cur == nil {
		return 1, nil
	}
	return *cur + 1, nil
}

// PackDraftOf is lang's draft; found is false when there is none.
func (s *Store) PackDraftOf(ctx context.Context, lang string) (d PackDraft, found bool, err error) {
	err = s.r.WithContext(ctx).Where("lang = ?", lang).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return PackDraft{}, false, nil
	}
	if err != nil {
		return PackDraft{}, false, fmt.Errorf("store: pack draft %s: %w", lang, err)
	}
	return d, true, nil
}

// SavePackDraft writes lang's draft whole.
func (s *Store) SavePackDraft(ctx context.Context, d PackDraft) error {
	d.UpdatedAt = s.now()
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Save(&d).Error
	})
	if err != nil {
		return fmt.Errorf("store: save pack draft %s: %w", d.Lang, err)
	}
	return nil
}

// DiscardPackDraft drops lang's draft.
func (s *Store) DiscardPackDraft(ctx context.Context, lang string) error {
	return s.write(ctx, func(tx *gorm.DB) error { return tx.Where("lang = ?", lang).Delete(&PackDraft{}).Error })
}
