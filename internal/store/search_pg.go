package store

import (
	"strings"

	"gorm.io/gorm"

	"coachdesk/internal/search"
)

// pgSearch matches the tsvector document (search_pg_doc.go) with PostgreSQL's full-text search and
// its GIN index, asking what fts5Search asks: a word by its stems in every language in the subject
// and body (A, B) or as typed in the customer part (D); phrases and prefixes the words as written
// (C) and the customer (D). A match is two tsqueries: the whole query, and the same asked of the
// subject alone, which relevance ranks above the rest as on SQLite.
type pgSearch struct{}

const (
	wStemmed = "AB"
	wTyped   = "D"
	wExact   = "CD"
)

// tsq is a tsquery under construction; weights filters its words' weights when it is written.
type tsq struct {
	op     string // "word", "&", "|", "<->", "!"
	word   string
	weight string
	prefix bool
	kids   []tsq
}

func tsWord(w, weight string, prefix bool) tsq {
	return tsq{op: "word", word: w, weight: weight, prefix: prefix}
}

func tsOp(op string, kids ...tsq) tsq { return tsq{op: op, kids: kids} }

// render writes q with every weight narrowed to keep ("" keeps all); "" when it cannot match.
func (q tsq) render(keep string) string {
	switch q.op {
	case "word":
		weight := q.weight
		if keep != "" {
			weight = ""
			for _, c := range q.weight {
				if strings.ContainsRune(keep, c) {
					weight += string(c)
				}
			}
			if weight == "" {
				return ""
			}
		}
		star := ""
		if q.prefix {
			star = "*"
		}
		return pgQuote(q.word) + ":" + star + weight
	case "|":
		var parts []string
		for _, k := range q.kids {
			if s := k.render(keep); s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) == 0 {
			return ""
		}
		return "(" + strings.Join(parts, " | ") + ")"
	case "!":
		if s := q.kids[0].render(""); s != "" {
			return "!(" + s + ")"
		}
		return ""
	default: // & and <->: every part must match
		var parts []string
		for _, k := range q.kids {
			s := k.render(keep)
			if s == "" && k.op != "!" {
				return ""
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
		return "(" + strings.Join(parts, " "+q.op+" ") + ")"
	}
}

func (pgSearch) compile(db *gorm.DB, q search.Query) (string, error) {
	var parts []tsq
	for _, t := range q.Terms {
		parts = append(parts, pgTerm(db, t))
	}
	for _, name := range q.From {
		if !strings.Contains(name, "@") {
			parts = append(parts, pgPhrase(search.Words(name), wTyped))
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	// As on SQLite, an e-mail filter also narrows the match; a tag: filter is checked on the tickets.
	for _, from := range q.From {
		if strings.Contains(from, "@") {
			if words := search.Words(from); len(words) > 0 {
				parts = append(parts, pgPhrase(words, wTyped))
			}
		}
	}
	if len(q.Exclude) > 0 {
		parts = append(parts, tsOp("!", pgAny(db, q.Exclude)))
	}
	match := tsOp("&", parts...)
	return match.render("") + "\n" + match.render("A"), nil
}

func pgAny(db *gorm.DB, terms []search.Term) tsq {
	var kids []tsq
	for _, t := range terms {
		kids = append(kids, pgTerm(db, t))
	}
	return tsOp("|", kids...)
}

func pgPhrase(words []string, weight string) tsq {
	kids := make([]tsq, len(words))
	for i, w := range words {
		kids[i] = tsWord(w, weight, false)
	}
	if len(kids) == 1 {
		return kids[0]
	}
	return tsOp("<->", kids...)
}

func pgTerm(db *gorm.DB, t search.Term) tsq {
	switch {
	case t.Phrase:
		return pgPhrase(t.Words, wExact)
	case t.Prefix:
		return tsWord(t.Words[0], wExact, true)
	}
	w := t.Words[0]
	var kids []tsq
	for _, s := range search.Stems(w, search.Languages) {
		kids = append(kids, tsWord(s, wStemmed, false))
	}
	kids = append(kids, tsWord(w, wTyped, false))
	// An unfinished last word also matches the words it begins, unless the index knows it as typed.
	// The GIN index answers a prefix without listing its words, so there is no limit to how many.
	if t.Open && !pgIsTerm(db, w) {
		kids = append(kids, tsWord(w, wExact, true))
	}
	return tsOp("|", kids...)
}

// pgIsTerm reports whether some document holds the word as typed (one lookup in the GIN index).
func pgIsTerm(db *gorm.DB, w string) bool {
	var found bool
	db.Raw(`SELECT EXISTS (SELECT 1 FROM ticket_search WHERE doc @@ ?::tsquery)`, pgQuote(w)).Scan(&found)
	return found
}

// pgMatch splits a compiled match into the whole query and the query of the subject alone.
func pgMatch(match string) (all, subject string) {
	all, subject, _ = strings.Cut(match, "\n")
	return all, subject
}

// countUpTo estimates from the newest pgSample documents, scaled to the table: a GIN index answers
// only by a bitmap of every match, which for a word in half the tickets took 225 ms at a million
// before the LIMIT could stop it. The estimate only picks the plan; both plans are exact.
func (pgSearch) countUpTo(db *gorm.DB, match string, _ int) (int64, error) {
	all, _ := pgMatch(match)
	var n int64
	err := db.Raw(`SELECT (COUNT(*) * GREATEST((SELECT reltuples FROM pg_class WHERE oid = 'ticket_search'::regclass), ?) / ?)::bigint
		FROM (SELECT doc FROM ticket_search ORDER BY ticket_id DESC LIMIT ?) AS newest WHERE doc @@ ?::tsquery`,
		pgSample, pgSample, pgSample, all).Scan(&n).Error
	return n, err
}

// pgSample is how many of the newest documents countUpTo reads (about 3 µs each).
const pgSample = 2000

// collect computes the matches as an array first and looks each ticket up by id. As a join,
// PostgreSQL guesses thousands of matches for a word it has no statistics for (an order number) and
// walks every ticket in the page's order instead (2.7 s against 0.7 ms at a million tickets).
func (pgSearch) collect(match string) (string, string, []any) {
	all, _ := pgMatch(match)
	return ticketJoins, `t.id = ANY (ARRAY (SELECT ticket_id FROM ticket_search WHERE doc @@ ?::tsquery))`, []any{all}
}

func (pgSearch) within(match string, lo, hi int64) (string, []any) {
	all, _ := pgMatch(match)
	return `t.id IN (SELECT ticket_id FROM ticket_search WHERE doc @@ ?::tsquery AND ticket_id BETWEEN ? AND ?)`, []any{all, lo, hi}
}

// rowTest looks the ticket's document up by id and matches it, about 3 µs a ticket. As a scalar
// subquery it cannot become a scan of the word's GIN postings: for a common word those are hundreds
// of thousands of rows, where a page of walked tickets is a few thousand at most.
func (pgSearch) rowTest(match string) (string, []any) {
	all, _ := pgMatch(match)
	return `(SELECT s.doc FROM ticket_search s WHERE s.ticket_id = t.id) @@ ?::tsquery`, []any{all}
}

// newest scores the newest n matches as fts5Search does: 2 when the subject matches, else 1.
func (pgSearch) newest(match string, n int) (string, []any) {
	all, subject := pgMatch(match)
	if subject == "" {
		return `SELECT ticket_id AS id, 1 AS score FROM ticket_search WHERE doc @@ ?::tsquery ORDER BY ticket_id DESC LIMIT ?`, []any{all, n}
	}
	return `SELECT hits.id, CASE WHEN hits.doc @@ ?::tsquery THEN 2 ELSE 1 END AS score
		FROM (SELECT ticket_id AS id, doc FROM ticket_search WHERE doc @@ ?::tsquery ORDER BY ticket_id DESC LIMIT ?) AS hits`,
		[]any{subject, all, n}
}

func (pgSearch) excludes(db *gorm.DB, q search.Query) (string, []any, error) {
	ex := pgAny(db, q.Exclude).render("")
	return `NOT EXISTS (SELECT 1 FROM ticket_search WHERE doc @@ ?::tsquery AND ticket_id = t.id)`, []any{ex}, nil
}
