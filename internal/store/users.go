package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
)

// CreateUser adds a user with an already hashed password.
// Errors: every problem at once (desk.Problems): name, email (ECONFLICT when taken), role.
func (s *Store) CreateUser(ctx context.Context, u desk.User) (desk.User, error) {
	u.Email, u.Name = normalEmail(u.Email), desk.CleanText(u.Name)
	if u.Locale == "" {
		u.Locale = "da"
	}
	if err := s.CheckNewUser(ctx, u); err != nil {
		return u, err
	}
	row := userRow{Name: u.Name, Email: u.Email, Role: string(u.Role), PasswordHash: u.PasswordHash, Active: true, Locale: u.Locale, CreatedAt: s.now()}
	err := s.write(ctx, func(tx *gorm.DB) error {
		// Checked again in the write: someone may have taken the address since.
		if err := emailFree(tx, u.Email, 0); err != nil {
			return err
		}
		return emailUnique(tx.Create(&row).Error, u.Email)
	})
	if err != nil {
		return u, fmt.Errorf("store: create user: %w", err)
	}
	return row.user(), nil
}

// CheckNewUser reports every problem a new user would have, without writing, so a form can show
// them together with its own (a too-short password).
func (s *Store) CheckNewUser(ctx context.Context, u desk.User) error {
	err := s.checkProfile(ctx, 0, desk.CleanText(u.Name), normalEmail(u.Email))
	if _, ok := desk.AsError(err); err != nil && !ok {
		return err
	}
	var p desk.Problems
	p.Add(err) // first, so the role's problem joins its list
	if !u.Role.Valid() {
		p.Add(desk.Errorf(desk.EINVALID, "role", "Unknown role %q: use agent, lead or admin.", u.Role))
	}
	return p.Err()
}

// checkProfile reports a bad name and a bad or taken e-mail (taken by someone other than id) together.
func (s *Store) checkProfile(ctx context.Context, id int64, name, email string) error {
	var p desk.Problems
	p.Add(desk.ValidateName("name", name))
	if err := desk.ValidateEmail("email", email); err != nil {
		p.Add(err)
	} else if err := emailFree(s.r.WithContext(ctx), email, id); err != nil {
		if _, ok := desk.AsError(err); !ok {
			return err
		}
		p.Add(err)
	}
	return p.Err()
}

// emailFree is a conflict on email when a user other than id has the address.
func emailFree(tx *gorm.DB, email string, id int64) error {
	var n int64
	if err := tx.Model(&userRow{}).Where("id <> ? AND lower(email) = lower(?)", id, email).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return emailTaken(email)
	}
	return nil
}

func emailTaken(email string) error {
	return desk.Errorf(desk.ECONFLICT, "email", "A user with e-mail %s already exists.", email)
}

// emailUnique turns the unique index's refusal into the conflict emailFree reports: two instances
// can both find an address free and write it at once, and the index lets only one through.
func emailUnique(err error, email string) error {
	var se sqlite3.Error
	var pe *pgconn.PgError
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique || errors.As(err, &pe) && pe.Code == "23505" {
		return emailTaken(email)
	}
	return err
}

// normalEmail is how addresses are kept: sign-in lowercases what is typed, so stored ones are lowercase too.
func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func (s *Store) UserByEmail(ctx context.Context, email string) (desk.User, error) {
	var row userRow
	err := s.r.WithContext(ctx).Where("lower(email) = ?", normalEmail(email)).Take(&row).Error
	return row.user(), notFound(err, "No user with e-mail %s.", email)
}

// UserByID reads a user with a prepared statement: every signed-in page asks for one.
func (s *Store) UserByID(ctx context.Context, id int64) (desk.User, error) {
	row, err := scanUser(s.reads.user.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = gorm.ErrRecordNotFound
	}
	return row.user(), notFound(err, "No user %d.", id)
}

// Agents lists the active users a ticket can be assigned to.
func (s *Store) Agents(ctx context.Context) ([]desk.User, error) {
	rows, err := s.reads.agents.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: agents: %w", err)
	}
	defer rows.Close()
	users := []desk.User{}
	for rows.Next() {
		r, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: agents: %w", err)
		}
		users = append(users, r.user())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: agents: %w", err)
	}
	return users, nil
}

// SetLocale remembers the interface language a user picked.
func (s *Store) SetLocale(ctx context.Context, userID int64, locale string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&userRow{}).Where("id = ?", userID).Update("locale", locale).Error
	})
}

// CreateToken issues an API token for the user with that e-mail and returns it; only its hash is kept.
func (s *Store) CreateToken(ctx context.Context, email string) (string, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	token, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	row := apiTokenRow{UserID: u.ID, TokenHash: auth.HashToken(token), CreatedAt: s.now()}
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return "", fmt.Errorf("store: create token: %w", err)
	}
	return token, nil
}

// UserByToken finds the active user an unexpired API token belongs to.
func (s *Store) UserByToken(ctx context.Context, token string) (desk.User, error) {
	u, _, err := s.Authenticate(ctx, token)
	return u, err
}

// SetPassword stores a new password hash and ends every session the user has.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	_, err := s.ChangePassword(ctx, userID, hash)
	return err
}

// ChangePassword stores a new password hash and ends every session the user has; it returns the
// user's new session epoch, so the session that made the change can carry on under it.
func (s *Store) ChangePassword(ctx context.Context, userID int64, hash string) (epoch int64, err error) {
	err = s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&userRow{}).Where("id = ?", userID).
			Updates(map[string]any{"password_hash": hash, "session_epoch": gorm.Expr("session_epoch + 1")})
		if res.Error == nil && res.RowsAffected == 0 {
			return fmtDeskNotFound("No user %d.", userID)
		}
		if res.Error != nil {
			return res.Error
		}
		return tx.Model(&userRow{}).Where("id = ?", userID).Select("session_epoch").Scan(&epoch).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: set password of user %d: %w", userID, err)
	}
	return epoch, nil
}

// UpdateProfile changes a user's name and e-mail.
// Errors: every problem at once (desk.Problems): name, email (ECONFLICT when another user has it).
func (s *Store) UpdateProfile(ctx context.Context, id int64, name, email string) (desk.User, error) {
	name, email = desk.CleanText(name), normalEmail(email)
	if err := s.checkProfile(ctx, id, name, email); err != nil {
		return desk.User{}, err
	}
	var row userRow
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := emailFree(tx, email, id); err != nil {
			return err
		}
		res := tx.Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{"name": name, "email": email})
		if res.Error == nil && res.RowsAffected == 0 {
			return fmtDeskNotFound("No user %d.", id)
		}
		if res.Error != nil {
			return emailUnique(res.Error, email)
		}
		return tx.Where("id = ?", id).Take(&row).Error
	})
	if err != nil {
		return desk.User{}, fmt.Errorf("store: update profile of user %d: %w", id, err)
	}
	return row.user(), nil
}

// Users lists every user, active or not, for the admin page.
func (s *Store) Users(ctx context.Context) ([]desk.User, error) {
	var rows []userRow
	if err := s.r.WithContext(ctx).Order("active DESC, name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	users := make([]desk.User, len(rows))
	for i, r := range rows {
		users[i] = r.user()
	}
	return users, nil
}

// UpdateUser changes a user's role and whether they can sign in, keeping at least one active admin.
func (s *Store) UpdateUser(ctx context.Context, id int64, role desk.Role, active bool) error {
	if !role.Valid() {
		return desk.Errorf(desk.EINVALID, "role", "Unknown role %q: use agent, lead or admin.", role)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&userRow{}).Where("id <> ? AND role = 'admin' AND active", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 && (role != desk.RoleAdmin || !active) {
			return desk.Errorf(desk.ECONFLICT, "role", "Coachdesk needs at least one active administrator.")
		}
		changes := map[string]any{"role": string(role), "active": active}
		if !active {
			// Blocking ends every session and token for good, not only while the block lasts.
			changes["session_epoch"] = gorm.Expr("session_epoch + 1")
		}
		res := tx.Model(&userRow{}).Where("id = ?", id).Updates(changes)
		if res.Error == nil && res.RowsAffected == 0 {
			return fmtDeskNotFound("No user %d.", id)
		}
		if res.Error != nil || active {
			return res.Error
		}
		return tx.Where("user_id = ?", id).Delete(&apiTokenRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: update user %d: %w", id, err)
	}
	return nil
}
