package store

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"coachdesk/internal/desk"
)

// The two answers a caller gets when the database cannot take a write; web/ tells them apart by identity.
var (
	ErrFullOrReadOnly = &desk.Error{Code: desk.EUNAVAILABLE, Message: "The database is full or read-only, so nothing was saved. Try again once it has room and can be written."}
	ErrBusy           = &desk.Error{Code: desk.EUNAVAILABLE, Message: "The helpdesk is busy, so nothing was saved. Try again in a moment."}
)

var errQueueFull = errors.New("store: too many writes waiting")

type faultKind string

const (
	faultFull     faultKind = "full"
	faultReadOnly faultKind = "read-only"
	faultBusy     faultKind = "locked"
	faultShed     faultKind = "overloaded"
)

// Unavailable is a write the database could not take; it unwraps to ErrBusy or ErrFullOrReadOnly
// and to SQLite's own error.
type Unavailable struct {
	Busy   bool // locked or overloaded: worth retrying in a second
	kind   faultKind
	reopen bool // the connection itself is stuck read-only and must be opened again
	cause  error
}

func (u *Unavailable) Error() string {
	if u.cause == nil {
		return u.desk().Error()
	}
	return u.desk().Error() + " (" + u.cause.Error() + ")"
}

func (u *Unavailable) Unwrap() []error {
	if u.cause == nil {
		return []error{u.desk()}
	}
	return []error{u.desk(), u.cause}
}

func (u *Unavailable) desk() *desk.Error {
	if u.Busy {
		return ErrBusy
	}
	return ErrFullOrReadOnly
}

// classify names what SQLite (or PostgreSQL) said when it means the database cannot take writes now; other errors pass.
func classify(err error) error {
	var u *Unavailable
	if err == nil || errors.As(err, &u) {
		return err
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return classifyPostgres(err)
	}
	switch se.Code {
	case sqlite3.ErrFull:
		return &Unavailable{kind: faultFull, cause: err}
	case sqlite3.ErrReadonly, sqlite3.ErrCantOpen:
		return &Unavailable{kind: faultReadOnly, reopen: true, cause: err}
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return &Unavailable{Busy: true, kind: faultBusy, cause: err}
	}
	return err
}

// faultLog logs each kind of fault at most once a minute, with how many it left out, so a full
// disk under load is one line a minute and not two per request.
type faultLog struct {
	mu     sync.Mutex
	every  time.Duration
	last   map[faultKind]time.Time
	missed map[faultKind]int
	now    func() time.Time
	faulty bool
}

func newFaultLog() *faultLog {
	return &faultLog{every: time.Minute, last: map[faultKind]time.Time{}, missed: map[faultKind]int{}, now: time.Now}
}

func (l *faultLog) note(kind faultKind, cause error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.faulty = true
	now := l.now()
	if last, ok := l.last[kind]; ok && now.Sub(last) < l.every {
		l.missed[kind]++
		return
	}
	missed := l.missed[kind]
	l.last[kind], l.missed[kind] = now, 0
	attrs := []any{"fault", string(kind), "since_last_log", missed}
	if cause != nil {
		attrs = append(attrs, "err", cause.Error())
	}
	slog.Error("database cannot take writes", attrs...)
}

// clear notes a committed write; the first after a fault is logged, so the log shows the recovery.
func (l *faultLog) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.faulty {
		l.faulty = false
		slog.Info("database takes writes again")
	}
}
