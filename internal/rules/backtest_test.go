package rules

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit/pgtest"
)

// A cancelled context stops the backtest with context.Canceled, never a partial result.
func TestRunBacktestCancelled(t *testing.T) {
	st, err := store.Open(context.Background(), pgtest.DB(t, filepath.Join(t.TempDir(), "bt.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var total, done atomic.Int64
	res, err := RunBacktest(ctx, st, coach.Default(), coach.Default(), "da", time.Now().AddDate(0, 0, -30), time.Now(), &total, &done)
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("res %v err %v", res, err)
	}
}
