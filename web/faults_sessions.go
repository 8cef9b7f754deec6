package web

import (
	"bytes"
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
// the one writer, and a page view that leaves the session as it was costs no write at all, or (once
// a minute) only a refresh of its idle expiry (see CommitCtx).
type sessionStore struct{ st *store.Store }

// refreshEvery is how far a session's idle expiry must move before a page view that changes nothing
// else saves it again. scs moves it on every request; saving it every time was a write (and a sync)
// per page view. A session idle for IdleTimeout therefore ends up to this much earlier, never later.
const refreshEvery = time.Minute

// loadedSession is what FindCtx read for this request, kept so CommitCtx need not read it again.
type loadedSession struct {
	token  string
	data   []byte
	expiry time.Time
	found  bool
}

type loadedKey struct{}

// loadAndSave is scs's LoadAndSave with room in the request for what the store read.
func (s *Server) loadAndSave(next http.Handler) http.Handler {
	inner := s.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), loadedKey{}, &loadedSession{})))
	})
}

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	data, expiry, found, err := s.st.FindSessionExpiry(ctx, token)
	if l, ok := ctx.Value(loadedKey{}).(*loadedSession); ok && err == nil {
		*l = loadedSession{token: token, data: data, expiry: expiry, found: found}
	}
	return data, found, err
}

// CommitCtx saves a changed session. An unchanged one (scs re-saves every session on every request
// to move its idle expiry) is not written while its stored expiry is within refreshEvery of the new
// one, and otherwise only refreshed, which a page view may go without.
func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	l, ok := ctx.Value(loadedKey{}).(*loadedSession)
	if !ok || l.token != token {
		// Not read in this request (a new token, or no middleware): read what is stored.
		data, stored, found, err := s.st.FindSessionExpiry(ctx, token)
		if err != nil {
			return err
		}
		l = &loadedSession{token: token, data: data, expiry: stored, found: found}
	}
	if l.found && sameSession(l.data, b) {
		if expiry.Sub(l.expiry) < refreshEvery && !expiry.Before(l.expiry) {
			return nil
		}
		return s.st.RefreshSession(ctx, token, b, expiry)
	}
	return s.st.SaveSession(ctx, token, b, expiry)
}

// sameSession compares two encoded sessions by what they hold: gob writes a map in any order, so
// equal bytes are the same session and unequal ones are decoded and compared.
func sameSession(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
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
