package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
)

// The web sessions live in the sessions table (the layout of scs's sqlite3store). Reads take the
// reader pool; writes go through the writer like every other write, so they share its commits and
// its queue bound instead of fighting it for the lock from a reader connection. The table keeps a
// SHA-256 of each session token, never the token: a copy of the database signs nobody in.

// refreshWait is how long a page view waits to move its session's idle expiry before it goes
// without: a lock held elsewhere must not hold up reading a page.
const refreshWait = time.Second

const julianUnixEpoch = 2440587.5 // julianday('1970-01-01')

func julian(t time.Time) float64 { return julianUnixEpoch + float64(t.UnixMilli())/86400000 }

func fromJulian(j float64) time.Time {
	return time.UnixMilli(int64(math.Round((j - julianUnixEpoch) * 86400000))).UTC()
}

// SessionKey is what the table stores for a session token.
func SessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FindSession returns the data of an unexpired session.
func (s *Store) FindSession(ctx context.Context, token string) (data []byte, found bool, err error) {
	data, _, found, err = s.FindSessionExpiry(ctx, token)
	return data, found, err
}

// FindSessionExpiry returns the data of an unexpired session and the expiry it is stored with
// (to the millisecond), so a caller can tell whether a save would change anything.
func (s *Store) FindSessionExpiry(ctx context.Context, token string) (data []byte, expiry time.Time, found bool, err error) {
	var j float64
	err = s.reads.session.QueryRowContext(ctx, SessionKey(token)).Scan(&data, &j)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("store: find session: %w", err)
	}
	return data, fromJulian(j), true, nil
}

// SaveSession stores a session's data until expiry.
func (s *Store) SaveSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, SessionKey(token), data, julian(expiry)).Error
	})
}

// RefreshSession moves an unchanged session's idle expiry (a page view) if the database takes it
// within refreshWait, and otherwise goes without: reading a page never fails for want of a write.
func (s *Store) RefreshSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, refreshWait)
	defer cancel()
	err := s.SaveSession(ctx, token, data, expiry)
	var u *Unavailable
	if errors.As(err, &u) || errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

// DeleteSession removes a session (sign-out, a new token on sign-in).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`DELETE FROM sessions WHERE token = ?`, SessionKey(token)).Error
	})
}

// DeleteExpiredSessions removes the sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`DELETE FROM sessions WHERE expiry < ` + s.d.julianNow()).Error
	})
}
