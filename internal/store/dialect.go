package store

import (
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// dialect is the one place the store's SQL differs between SQLite and PostgreSQL: every query that
// cannot be written once for both asks it for the piece that differs. The zero value is SQLite.
type dialect struct{ pg bool }

var (
	sqliteDialect   = dialect{}
	postgresDialect = dialect{pg: true}
)

// dialectOf is the dialect of the database behind a gorm handle, so query builders that are handed
// one need not be handed the dialect too.
func dialectOf(db *gorm.DB) dialect {
	if db != nil && db.Dialector != nil && db.Dialector.Name() == "postgres" {
		return postgresDialect
	}
	return sqliteDialect
}

func (d dialect) name() string {
	if d.pg {
		return "postgres"
	}
	return "sqlite"
}

// rebind turns the ? placeholders of a statement written for database/sql into PostgreSQL's $1, $2 …;
// gorm does this itself, hand-written statements (prepared reads, the bulk loader) need it.
func (d dialect) rebind(q string) string {
	if !d.pg || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range q {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sumBool counts the rows where a condition or boolean column holds (SQLite's booleans are integers).
func (d dialect) sumBool(expr string) string {
	if d.pg {
		return "SUM((" + expr + ")::int)"
	}
	return "SUM(" + expr + ")"
}

// isTrue tests a boolean column; on SQLite as "= 1", which its partial indexes (WHERE col = 1) need.
func (d dialect) isTrue(col string) string {
	if d.pg {
		return col
	}
	return col + " = 1"
}

// greatest is the larger of two values (SQLite's two-argument max).
func (d dialect) greatest(a, b string) string {
	if d.pg {
		return "GREATEST(" + a + ", " + b + ")"
	}
	return "max(" + a + ", " + b + ")"
}

// least is the smaller of two values (SQLite's two-argument min).
func (d dialect) least(a, b string) string {
	if d.pg {
		return "LEAST(" + a + ", " + b + ")"
	}
	return "min(" + a + ", " + b + ")"
}

// indexedBy pins a table to an index on SQLite, whose planner otherwise trades a walk in order for a
// sort (plans.md); PostgreSQL has no such clause and plans with its own statistics.
func (d dialect) indexedBy(table, index string) string {
	if d.pg {
		return table
	}
	return table + " INDEXED BY " + index
}

// unindexed is SQLite's "+col": the column is checked row by row instead of choosing an index.
// PostgreSQL has no such hint (and no unary plus on text).
func (d dialect) unindexed(col string) string {
	if d.pg {
		return col
	}
	return "+" + col
}

// always is a condition that holds, for a WHERE that later conditions are ANDed to.
func (d dialect) always() string {
	if d.pg {
		return "true"
	}
	return "1"
}

// day is the UTC calendar day (YYYY-MM-DD) of a stored time, as the rollup tables key their rows.
func (d dialect) day(col string) string {
	if d.pg {
		return "coachdesk_day(" + col + ")"
	}
	return "date(" + col + ")"
}

// likePrefix matches a column against a LIKE pattern ignoring case, as SQLite's LIKE does for ASCII.
func (d dialect) likePrefix(col string) string {
	if d.pg {
		return "lower(" + col + ") LIKE lower(?) ESCAPE '\\'"
	}
	return col + " LIKE ? ESCAPE '\\'"
}

// julianNow is the current time as a Julian day number, the unit the sessions table keeps its
// expiry in (the layout of scs's sqlite3store, kept on both databases so a copy moves it as is).
func (d dialect) julianNow() string {
	if d.pg {
		return "(extract(epoch FROM now()) / 86400.0 + 2440587.5)"
	}
	return "julianday('now')"
}

// Rebind writes a statement with ? placeholders for the store's database, for callers (tests,
// tools) that run their own SQL on SessionDB.
func (s *Store) Rebind(q string) string { return s.d.rebind(q) }

// claimRows ends a SELECT of work to claim: on PostgreSQL it locks the rows of alias it read and
// skips those another instance is claiming, so two instances never take the same mail. SQLite's
// writes are exclusive, so its claim needs nothing.
func (d dialect) claimRows(alias string) string {
	if d.pg {
		return " FOR UPDATE OF " + alias + " SKIP LOCKED"
	}
	return ""
}
