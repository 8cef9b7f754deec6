package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Budget is a token bucket kept in the database (migration 00020), so every instance spends from
// the same one: Burst attempts at once, then one more per Every.
type Budget struct {
	Burst int
	Every time.Duration
}

// SignInBudgets are the two budgets a sign-in spends, and how long an address whose attempt did not
// succeed stays suspect.
type SignInBudgets struct {
	Account, Address Budget
	SuspectFor       time.Duration
}

// SpendBudget takes one attempt from key's budget and reports whether there was one.
func (s *Store) SpendBudget(ctx context.Context, key string, b Budget) (ok bool, err error) {
	err = s.write(ctx, func(tx *gorm.DB) error {
		ok, err = spend(tx, key, b, s.now())
		return err
	})
	return ok, err
}

// BudgetBlocked reports whether key's budget is used up, without spending from it.
func (s *Store) BudgetBlocked(ctx context.Context, key string, b Budget) (bool, error) {
	var left sql.NullFloat64
	now := s.now().UnixMilli()
	err := s.r.WithContext(ctx).Raw("SELECT "+refilled(s.d)+" FROM rate_limits WHERE key = ?",
		float64(b.Burst), now, perMilli(b), key).Row().Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: budget %s: %w", key, err)
	}
	return left.Float64 < 1, nil
}

// SignInAttempt spends one attempt of the address's and the account's budgets in one transaction,
// before any password is checked, so parallel guesses on any instance cannot all slip past. An
// address with no recent failure may still try an account whose budget strangers spent, so they
// cannot lock its owner out. spentAccount tells RefundSignIn what to give back.
func (s *Store) SignInAttempt(ctx context.Context, account, address string, b SignInBudgets) (ok, spentAccount bool, err error) {
	now := s.now()
	err = s.write(ctx, func(tx *gorm.DB) error {
		ok, spentAccount = false, false
		if spentAddr, err := spend(tx, address, b.Address, now); err != nil || !spentAddr {
			return err
		}
		var last sql.NullInt64
		if err := tx.Raw("SELECT at_ms FROM signin_suspects WHERE address = ?", address).Row().Scan(&last); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Marked before the account's check, so the next attempt from here already counts as suspect.
		if err := tx.Exec(`INSERT INTO signin_suspects (address, at_ms) VALUES (?, ?)
			ON CONFLICT (address) DO UPDATE SET at_ms = excluded.at_ms`, address, now.UnixMilli()).Error; err != nil {
			return err
		}
		var err error
		if spentAccount, err = spend(tx, account, b.Account, now); err != nil {
			return err
		}
		if !spentAccount && last.Valid && now.UnixMilli()-last.Int64 <= b.SuspectFor.Milliseconds() {
			return giveBack(tx, address, b.Address)
		}
		ok = true
		return nil
	})
	if err != nil {
		return false, false, fmt.Errorf("store: sign-in budget: %w", err)
	}
	return ok, spentAccount, nil
}

// RefundSignIn gives a successful sign-in's attempts back (only failures use up a budget) and
// clears the address's suspicion.
func (s *Store) RefundSignIn(ctx context.Context, account, address string, spentAccount bool, b SignInBudgets) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := giveBack(tx, address, b.Address); err != nil {
			return err
		}
		if spentAccount {
			if err := giveBack(tx, account, b.Account); err != nil {
				return err
			}
		}
		return tx.Exec("DELETE FROM signin_suspects WHERE address = ?", address).Error
	})
}

// spends counts calls, so one in every cleanEvery also deletes buckets long since full again.
var spends atomic.Uint64

const cleanEvery = 256

// spend takes one token from key's bucket, filling it first for the time since it was last filled;
// the row lock of the UPDATE orders instances that spend from the same key.
func spend(tx *gorm.DB, key string, b Budget, now time.Time) (bool, error) {
	d, ms := dialectOf(tx), now.UnixMilli()
	if spends.Add(1)%cleanEvery == 0 {
		if err := clean(tx, ms); err != nil {
			return false, err
		}
	}
	if err := tx.Exec("INSERT INTO rate_limits (key, tokens, at_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
		key, float64(b.Burst), ms).Error; err != nil {
		return false, err
	}
	left := refilled(d)
	res := tx.Exec("UPDATE rate_limits SET tokens = "+left+" - 1, at_ms = ? WHERE key = ? AND "+left+" >= 1",
		float64(b.Burst), ms, perMilli(b), ms, key, float64(b.Burst), ms, perMilli(b))
	return res.RowsAffected == 1, res.Error
}

// giveBack returns one token to key's bucket, never above its burst.
func giveBack(tx *gorm.DB, key string, b Budget) error {
	return tx.Exec("UPDATE rate_limits SET tokens = "+dialectOf(tx).least("CAST(? AS DOUBLE PRECISION)", "tokens + 1")+" WHERE key = ?",
		float64(b.Burst), key).Error
}

// refilled is a bucket's tokens now: its arguments are the burst, now in ms and tokens per ms.
func refilled(d dialect) string {
	return d.least("CAST(? AS DOUBLE PRECISION)", "tokens + (? - at_ms) * CAST(? AS DOUBLE PRECISION)")
}

func perMilli(b Budget) float64 { return 1 / float64(b.Every.Milliseconds()) }

// forgetAfter is past every budget's refill from empty and every suspicion, so those rows say nothing.
const forgetAfter = time.Hour

func clean(tx *gorm.DB, nowMs int64) error {
	before := nowMs - forgetAfter.Milliseconds()
	if err := tx.Exec("DELETE FROM rate_limits WHERE at_ms < ?", before).Error; err != nil {
		return err
	}
	return tx.Exec("DELETE FROM signin_suspects WHERE at_ms < ?", before).Error
}
