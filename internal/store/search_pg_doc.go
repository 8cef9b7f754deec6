package store

import (
	"context"
	"strconv"
	"strings"
)

// On PostgreSQL the search document is one tsvector per ticket, written as a tsvector literal from
// the same words as SQLite's ticket_search (search_doc.go): stemmed in the ticket's language by the
// same Snowball stemmers in Go, so both databases find the same tickets for the same words.
// PostgreSQL's own danish, norwegian, swedish and english configurations would drop stop words
// ("ikke" in "ikke modtaget") and split e-mail addresses their own way, so they are not used.
//
// Each part has its weight, as FTS5 has its columns: A the subject's stems, B the body's stems,
// C the words as written (phrases and prefixes), D the customer's name and e-mail and the number.
// The tags are not in it: tag: is checked on the tickets themselves.

const (
	pgMaxPos      = 16383 // tsvector positions stop here
	pgMaxPositons = 255   // positions kept per word (PostgreSQL keeps at most 256)
	pgMaxLexeme   = 2046  // bytes in one word
	pgMaxDoc      = 900_000
)

// tsvectorOf writes a document as a tsvector literal. The people and the words as written come
// first, so their positions (which phrases need) are exact however long the ticket is.
func tsvectorOf(d searchDoc) string {
	type entry struct{ pos []string }
	words := map[string]*entry{}
	var order []string
	pos := 0
	size := 0
	add := func(text string, weight byte) {
		for _, w := range strings.Fields(text) {
			pos = min(pos+1, pgMaxPos)
			if len(w) > pgMaxLexeme {
				continue
			}
			e := words[w]
			if e == nil {
				if size > pgMaxDoc {
					continue
				}
				e = &entry{}
				words[w] = e
				order = append(order, w)
				size += len(w) + 3
			}
			p := strconv.Itoa(pos) + string(weight)
			if len(e.pos) < pgMaxPositons && (len(e.pos) == 0 || e.pos[len(e.pos)-1] != p) {
				e.pos = append(e.pos, p)
				size += 7
			}
		}
		pos = min(pos+2, pgMaxPos) // a gap: a phrase never spans two parts
	}
	add(d.people, 'D')
	add(d.exact, 'C')
	add(d.subject, 'A')
	add(d.body, 'B')
	var b strings.Builder
	for i, w := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pgQuote(w))
		b.WriteByte(':')
		b.WriteString(strings.Join(words[w].pos, ","))
	}
	return b.String()
}

// pgQuote makes a word a tsvector or tsquery lexeme: whatever it holds, it is never syntax.
func pgQuote(w string) string {
	return "'" + lexemeEscapes.Replace(w) + "'"
}

// lexemeEscapes is built once: a Replacer costs far more to build than to run, and a document has thousands of words.
var lexemeEscapes = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// writePgDocs writes built documents, replacing the ones the tickets had, in one statement: a
// bulk load writes thousands at a time.
func writePgDocs(ctx context.Context, c conn, sources []idSource, docs []searchDoc) error {
	if len(sources) == 0 {
		return nil
	}
	ids := make([]int64, len(sources))
	vectors := make([]string, len(sources))
	for i, s := range sources {
		ids[i], vectors[i] = s.id, tsvectorOf(docs[i])
	}
	_, err := c.ExecContext(ctx, `INSERT INTO ticket_search (ticket_id, doc)
		SELECT id, doc::tsvector FROM unnest($1::bigint[], $2::text[]) AS d (id, doc)
		ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc`, ids, vectors)
	return err
}
