package store

import (
	"database/sql"
	"strings"

	"gorm.io/gorm"

	"coachdesk/internal/search"
)

// fts5Search matches the ticket_search document (search_doc.go) with SQLite FTS5. Words are asked for
// by their stems in every language the stemmer knows (the index holds each ticket's words stemmed in
// its own language, so one of them is the ticket's), in the subject and body; and as typed in the
// customer column. Phrases and prefixes ask the unstemmed column.
type fts5Search struct{}

// Typed words do not match the tags column: a tag has its own filter (tag:, and the inbox's), and
// "pakke levering" means those words, not a ticket about a parcel that is tagged levering. The
// tags column narrows a search that has a tag: filter.
const (
	stemmedCols = "{subject body}"
	typedCols   = "{people}"
	exactCols   = "{exact people}"
)

// maxPrefixTerms: a prefix is expanded into at most this many whole words from the index's
// vocabulary. FTS5 answers a prefix query by merging the doclists of every term with that prefix
// before it returns a row, even for a rowid range; an OR of whole words seeks instead.
const maxPrefixTerms = 24

func (fts5Search) compile(db *gorm.DB, q search.Query) (string, error) {
	var parts []string
	for _, t := range q.Terms {
		p, err := fts5Term(db, t)
		if err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	for _, name := range q.From {
		if !strings.Contains(name, "@") {
			parts = append(parts, "{people} : "+phrase(search.Words(name)))
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	// The field filters are checked exactly on tickets, but with words to match they also narrow the
	// match (tags and the customer are in the document), so "tag:faktura kaffemaskine" collects its
	// few matches instead of walking every faktura ticket.
	for _, tag := range q.Tags {
		if words := search.Words(tag); len(words) > 0 {
			parts = append(parts, "{tags} : "+phrase(words))
		}
	}
	for _, from := range q.From {
		if strings.Contains(from, "@") {
			if words := search.Words(from); len(words) > 0 {
				parts = append(parts, "{people} : "+phrase(words))
			}
		}
	}
	match := strings.Join(parts, " AND ")
	if len(q.Exclude) > 0 {
		ex, err := fts5Any(db, q.Exclude)
		if err != nil {
			return "", err
		}
		match = "(" + match + ") NOT (" + ex + ")"
	}
	return match, nil
}

func fts5Any(db *gorm.DB, terms []search.Term) (string, error) {
	var parts []string
	for _, t := range terms {
		p, err := fts5Term(db, t)
		if err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " OR "), nil
}

func fts5Term(db *gorm.DB, t search.Term) (string, error) {
	switch {
	case t.Phrase:
		return "(" + exactCols + " : " + phrase(t.Words) + ")", nil
	case t.Prefix:
		terms, err := prefixTerms(db, t.Words[0])
		switch {
		case err != nil:
			return "", err
		case terms == nil: // too many to list: let FTS5 merge them
			return "(" + exactCols + " : " + quote(t.Words[0]) + "*)", nil
		case len(terms) == 0: // nothing starts with it, so nothing matches
			return "(" + exactCols + " : " + quote(t.Words[0]) + ")", nil
		}
		for i, w := range terms {
			terms[i] = quote(w)
		}
		return "(" + exactCols + " : (" + strings.Join(terms, " OR ") + "))", nil
	default:
		w := t.Words[0]
		stems := search.Stems(w, search.Languages)
		for i, s := range stems {
			stems[i] = quote(s)
		}
		match := stemmedCols + " : (" + strings.Join(stems, " OR ") + ") OR " + typedCols + " : " + quote(w)
		if t.Open && !isTerm(db, w) {
			// An unfinished last word also matches the few whole words it begins; with many, only itself.
			// A word the index knows is finished: its other forms come from its stems.
			terms, err := prefixTerms(db, w)
			if err != nil {
				return "", err
			}
			for i, x := range terms {
				terms[i] = quote(x)
			}
			if len(terms) > 0 {
				match += " OR " + exactCols + " : (" + strings.Join(terms, " OR ") + ")"
			}
		}
		return "(" + match + ")", nil
	}
}

func phrase(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = quote(w)
	}
	return strings.Join(q, " + ")
}

// quote makes a word an FTS5 string: whatever it holds, it is never syntax.
func quote(w string) string { return `"` + strings.ReplaceAll(w, `"`, `""`) + `"` }

// prefixTerms lists the indexed words that start with prefix, or nil when there are more than
// maxPrefixTerms. It skips from each term to the next in the 'instance' vocabulary, one seek per
// term, without reading postings.
func prefixTerms(db *gorm.DB, prefix string) ([]string, error) {
	upper := prefixEnd(prefix)
	var found []string
	err := db.Raw(`WITH RECURSIVE terms (term) AS (
			SELECT (SELECT term FROM ticket_search_vocab WHERE term >= @lo AND term < @hi LIMIT 1)
			UNION ALL
			SELECT (SELECT term FROM ticket_search_vocab WHERE term >= terms.term || char(1) AND term < @hi LIMIT 1)
			FROM terms WHERE terms.term IS NOT NULL LIMIT @n)
		SELECT term FROM terms WHERE term IS NOT NULL`,
		sql.Named("lo", prefix), sql.Named("hi", upper), sql.Named("n", maxPrefixTerms+2)).Scan(&found).Error
	if err != nil {
		return nil, err
	}
	if len(found) > maxPrefixTerms {
		return nil, nil
	}
	if found == nil {
		found = []string{}
	}
	return found, nil
}

// isTerm reports whether the index holds the word as typed (one seek in the vocabulary).
func isTerm(db *gorm.DB, w string) bool {
	var n int64
	db.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM ticket_search_vocab WHERE term = ? LIMIT 1)`, w).Scan(&n)
	return n > 0
}

// prefixEnd is the smallest string above every string that starts with prefix (byte order, as the
// vocabulary sorts): "på" → "pæ"-ish, by incrementing the last byte that can be.
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xFF {
			b[i]++
			return string(b[:i+1])
		}
	}
	return prefix + "\xff"
}

func (fts5Search) countUpTo(db *gorm.DB, match string, limit int) (int64, error) {
	var n int64
	err := db.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM ticket_search WHERE ticket_search MATCH ? LIMIT ?)`, match, limit).Scan(&n).Error
	return n, err
}

// collect reads the matches first and looks each ticket up by id: CROSS JOIN keeps that order.
func (fts5Search) collect(match string) (string, string, []any) {
	return `(SELECT rowid AS id FROM ticket_search WHERE ticket_search MATCH ?) AS hits CROSS JOIN ` + ticketJoins,
		`t.id = hits.id`, []any{match}
}

// within: "+t.id" keeps SQLite walking the view's index in order and testing each row against the
// window's matches (collected once), instead of starting from the matches and sorting them.
func (fts5Search) within(match string, lo, hi int64) (string, []any) {
	return `+t.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ? AND rowid BETWEEN ? AND ?)`, []any{match, lo, hi}
}

// rowTest is "": one FTS5 lookup by rowid costs ~30 µs of setup, so the walk asks per window.
func (fts5Search) rowTest(string) (string, []any) { return "", nil }

// newest scores the newest n matches by where the words are: 2 when they match the subject, else 1;
// ties go newest first. bm25 would weigh every word by how rare it is, but its statistics come from
// a pass over every match (270 ms for "pakke" at a million tickets); this reads only the id range
// of the n newest.
func (fts5Search) newest(match string, n int) (string, []any) {
	return `SELECT hits.id, 1 + (hits.id IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?
			AND rowid >= (SELECT MIN(id) FROM (SELECT rowid AS id FROM ticket_search WHERE ticket_search MATCH ? ORDER BY rowid DESC LIMIT ?)))) AS score
		FROM (SELECT rowid AS id FROM ticket_search WHERE ticket_search MATCH ? ORDER BY rowid DESC LIMIT ?) AS hits`,
		[]any{"{subject} : (" + match + ")", match, n, match, n}
}

func (fts5Search) excludes(db *gorm.DB, q search.Query) (string, []any, error) {
	ex, err := fts5Any(db, q.Exclude)
	if err != nil {
		return "", nil, err
	}
	// Checked ticket by ticket as the view's index walks by: a page costs a page (and the skipped rows).
	return `NOT EXISTS (SELECT 1 FROM ticket_search WHERE ticket_search MATCH ? AND rowid = t.id)`, []any{ex}, nil
}
