package web

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// sessionStore is scs's store on the helpdesk's database: reads from the reader pool, writes through
// the one writer, and a page view that only moves the idle expiry costs no write (see store.SaveSession).
type sessionStore struct{ st *store.Store }

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.st.FindSession(ctx, token)
}

// CommitCtx saves a changed session; an unchanged one (scs re-saves every session on every request
// to move its idle expiry) is only refreshed, which a page view may go without.
func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	old, found, err := s.st.FindSession(ctx, token)
	if err != nil {
		return err
	}
	if found && sameSession(old, b) {
		return s.st.RefreshSession(ctx, token, b, expiry)
	}
	return s.st.SaveSession(ctx, token, b, expiry)
}

// sameSession compares two encoded sessions by what they hold: gob writes a map in any order.
func sameSession(a, b []byte) bool {
	var codec scs.GobCodec
	da, va, errA := codec.Decode(a)
	db, vb, errB := codec.Decode(b)
	return errA == nil && errB == nil && da.Equal(db) && reflect.DeepEqual(va, vb)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.st.DeleteSession(ctx, token)
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// cleanSessions deletes expired sessions every interval until ctx ends.
func (s sessionStore) cleanSessions(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.st.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("expired sessions not deleted", "err", err)
			}
		}
	}
}

// sessionError answers a session the database could not save (a sign-in on a full disk) with 503
// and the reason, instead of scs's bare 500.
func sessionError(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := desk.AsError(err); ok && e.Code == desk.EUNAVAILABLE {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(err)))
		http.Error(w, e.Message, http.StatusServiceUnavailable)
		return
	}
	slog.Error("session failed", "path", r.URL.Path, "err", err)
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}
