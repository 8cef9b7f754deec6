package store

import (
	"gorm.io/gorm"

	"coachdesk/internal/search"
)

// textSearch is the full-text predicate behind the inbox: it turns the words of a parsed query into
// the database's own matching and answers with ticket ids. Everything else about a search page —
// views, filters, field filters (from:, tag:, #), sort orders, cursors, counts — is the neutral
// query builder in inbox.go and query*.go, which never looks inside a match. A second database adds
// a second textSearch (PostgreSQL: a tsvector column and a GIN index) instead of editing this one.
//
// Every method that returns SQL returns a fragment with its arguments, written against the ticket
// alias t where it names one.
type textSearch interface {
	// compile turns the query's words into a match ("" when the query has no words to match).
	compile(db *gorm.DB, q search.Query) (match string, err error)
	// countUpTo counts the tickets that match, stopping at limit, or estimates that count where
	// counting costs more than the page (PostgreSQL).
	countUpTo(db *gorm.DB, match string, limit int) (int64, error)
	// collect is the tables (t with ticketJoins) and the condition of every matching ticket, read
	// from the matches rather than from a walk of the tickets.
	collect(match string) (tables, cond string, args []any)
	// within is a condition on t: t matches and its id is in lo..hi.
	within(match string, lo, hi int64) (string, []any)
	// rowTest is a condition on t that checks the one ticket a walk passes against the match, or ""
	// when a check per ticket costs too much and the walk asks in windows of ids instead (within).
	rowTest(match string) (string, []any)
	// newest is a subquery of the n matching tickets with the highest ids, as "id" and "score"
	// (higher is more relevant): relevance ranks these and no others.
	newest(match string, n int) (string, []any)
	// excludes is a condition on t that holds when t does not match the query's exclusions; used
	// when a query has exclusions and nothing else to match.
	excludes(db *gorm.DB, q search.Query) (string, []any, error)
}

// searchOf is the search predicate of the database behind db: SQLite FTS5 or PostgreSQL's tsvector.
func searchOf(db *gorm.DB) textSearch {
	if dialectOf(db).pg {
		return pgSearch{}
	}
	return fts5Search{}
}
