package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/store"
)

// readyWait is how long /readyz waits for its probe write: a lock held elsewhere answers 503 then,
// not after the whole busy timeout.
const readyWait = 2 * time.Second

// How soon a client may try again: a busy writer clears in a moment, a full disk needs a person.
const (
	retryBusy     = 1
	retryFull     = 30
	retryFallback = 5
)

// readyz answers 200 while the database takes a write and 503 with the reason while it does not;
// /healthz stays "the process is up".
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyWait)
	defer cancel()
	err := s.store.Ready(ctx)
	switch {
	case err == nil:
		return s.readySchema(ctx, c)
	case errors.Is(err, context.DeadlineExceeded):
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryBusy))
		return c.String(http.StatusServiceUnavailable, "not ready: the database did not take a write within "+readyWait.String())
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfter(err)))
	e, ok := desk.AsError(err)
	if !ok {
		return c.String(http.StatusServiceUnavailable, "not ready: the database cannot take a write")
	}
	return c.String(http.StatusServiceUnavailable, "not ready: "+e.Message)
}

// readySchema answers 200 while the database's schema is the one this binary migrates to; a schema
// another instance's newer binary migrated further (or one rolled back by hand) is not this one's to serve.
func (s *Server) readySchema(ctx context.Context, c echo.Context) error {
	applied, embedded, err := s.store.SchemaVersions(ctx)
	switch {
	case err != nil:
		slog.Warn("readyz: reading the schema version", "err", err)
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryBusy))
		return c.String(http.StatusServiceUnavailable, "not ready: the schema version cannot be read")
	case applied > embedded:
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryFull))
		return c.String(http.StatusServiceUnavailable, fmt.Sprintf("not ready: the database schema is at migration %d, newer than this binary's %d", applied, embedded))
	case applied < embedded:
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryFull))
		return c.String(http.StatusServiceUnavailable, fmt.Sprintf("not ready: migrations are not current (the database is at %d of %d)", applied, embedded))
	}
	return c.String(http.StatusOK, "ready")
}

// retryAfter is the Retry-After, in seconds, for a write the database could not take.
func retryAfter(err error) int {
	var u *store.Unavailable
	if errors.As(err, &u) && !u.Busy || errors.Is(err, store.ErrFullOrReadOnly) {
		return retryFull
	}
	return retryBusy
}

// retryAfterOn503 makes every 503 say when to try again, also forms re-rendered with the reason.
func retryAfterOn503(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		res.Before(func() {
			if res.Status == http.StatusServiceUnavailable && res.Header().Get("Retry-After") == "" {
				res.Header().Set("Retry-After", strconv.Itoa(retryFallback))
			}
		})
		return next(c)
	}
}

// unavailableText says in the reader's language why nothing was saved; kept adds that the form
// still holds what was typed. The answer that says so also says when to try again.
func unavailableText(c echo.Context, e *desk.Error, kept bool) string {
	key, retry := "faults.full_or_readonly", retryFull
	if e == store.ErrBusy {
		key, retry = "faults.busy", retryBusy
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(retry))
	if kept {
		key += ".kept"
	}
	return i18n.T(c.Request().Context(), key)
}
