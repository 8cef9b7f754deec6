package store

import (
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// classifyPostgres names what PostgreSQL said when it means the database cannot take writes now,
// as classify does for SQLite: a full disk or a read-only server (a standby after a failover) is
// ErrFullOrReadOnly; a lock, a deadlock, a cancelled statement or a lost connection is worth
// retrying in a second. A lost or read-only connection is opened afresh for the next write.
func classifyPostgres(err error) error {
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		switch {
		case pe.Code == "53100":
			return &Unavailable{kind: faultFull, cause: err}
		case pe.Code == "25006":
			return &Unavailable{kind: faultReadOnly, reopen: true, cause: err}
		case pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03", pe.Code == "57014":
			return &Unavailable{Busy: true, kind: faultBusy, cause: err}
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"):
			return &Unavailable{Busy: true, kind: faultBusy, reopen: true, cause: err}
		}
	case errors.Is(err, driver.ErrBadConn), pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return &Unavailable{Busy: true, kind: faultBusy, reopen: true, cause: err}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return &Unavailable{Busy: true, kind: faultBusy, reopen: true, cause: err}
	}
	return err
}
