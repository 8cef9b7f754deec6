package store

import (
	"context"
	"database/sql"
	"html"
	"strconv"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"

	"coachdesk/internal/search"
)

// The search document: one row per ticket in ticket_search, rowid = ticket id, holding the words of
// the ticket's subject, every message, the customer's name and e-mail, its tags and its number.
// Every write that changes one of those rewrites the ticket's document in the same transaction
// (refreshSearch), so search never sees a ticket half-written.
//
// The text goes in already split by search.Tokens and, for subject and body, stemmed in the ticket's
// language, so FTS5's own tokenizer only has to split on the spaces between them:
//
//	subject  the subject's stems (weighted above the body)
//	body     every message's stems
//	exact    subject and messages unstemmed, in order: phrases and prefixes match here
//	people   the customer's name and e-mail, and the ticket number
//	tags     the tags' words (tag: narrows a search with them; typed words do not match them)
type searchDoc struct {
	subject, body, exact, people, tags string
}

// docSource is what a document is made of.
type docSource struct {
	number        int64
	subject, lang string
	customerName  string
	customerEmail string
	tags          []string
	messages      []docMessage
}

type docMessage struct {
	html bool
	body string
}

func (src docSource) document() searchDoc {
	var subject, body, exact, people, tags strings.Builder
	for _, w := range search.Words(src.subject) {
		add(&subject, search.Stem(w, src.lang))
		add(&exact, w)
	}
	for _, m := range src.messages {
		for _, w := range search.Words(messageText(m)) {
			add(&body, search.Stem(w, src.lang))
			add(&exact, w)
		}
	}
	for _, w := range search.Words(src.customerName + " " + src.customerEmail + " " + strconv.FormatInt(src.number, 10)) {
		add(&people, w)
	}
	for _, w := range search.Words(strings.Join(src.tags, " ")) {
		add(&tags, w)
	}
	return searchDoc{subject.String(), body.String(), exact.String(), people.String(), tags.String()}
}

func add(b *strings.Builder, w string) {
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(w)
}

var textOnly = bluemonday.StrictPolicy()

// messageText is what a reader sees of a message: an HTML message without its tags.
func messageText(m docMessage) string {
	if !m.html {
		return m.body
	}
	// A space for every tag keeps "<p>a</p><p>b</p>" two words.
	return html.UnescapeString(textOnly.Sanitize(strings.ReplaceAll(m.body, "<", " <")))
}

// conn is what a document is read and written through: a gorm transaction's pool, a *sql.Tx or a *sql.DB.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const (
	deleteDocSQL = `DELETE FROM ticket_search WHERE rowid = ?`
	insertDocSQL = `INSERT INTO ticket_search (rowid, subject, body, exact, people, tags) VALUES (?, ?, ?, ?, ?, ?)`
)

// refreshSearch rewrites the search documents of the tickets with ids lo..hi from what the database
// holds now. Callers run it inside the transaction that changed them.
func refreshSearch(ctx context.Context, d dialect, c conn, lo, hi int64) (int, error) {
	return writeDocs(ctx, d, c, lo, hi, false)
}

// writeDocs builds the documents of the tickets with ids lo..hi (on both cores when there are many)
// and writes them; fresh means none of them has one yet.
func writeDocs(ctx context.Context, d dialect, c conn, lo, hi int64, fresh bool) (int, error) {
	sources, err := loadDocSources(ctx, d, c, lo, hi)
	if err != nil {
		return 0, err
	}
	docs := make([]searchDoc, len(sources))
	workers := 1
	if len(sources) > 64 {
		workers = 2
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(sources); i += workers {
				docs[i] = sources[i].document()
			}
		})
	}
	wg.Wait()
	if d.pg {
		return len(sources), writePgDocs(ctx, c, sources, docs)
	}
	for i, s := range sources {
		if !fresh {
			if _, err := c.ExecContext(ctx, deleteDocSQL, s.id); err != nil {
				return 0, err
			}
		}
		d := docs[i]
		if _, err := c.ExecContext(ctx, insertDocSQL, s.id, d.subject, d.body, d.exact, d.people, d.tags); err != nil {
			return 0, err
		}
	}
	return len(sources), nil
}

type idSource struct {
	id int64
	docSource
}

// loadDocSources reads the tickets with ids lo..hi and everything their documents hold, with three
// range reads in id order (tickets, messages by messages_ticket, tags by ticket_tags_ticket).
func loadDocSources(ctx context.Context, d dialect, c conn, lo, hi int64) ([]idSource, error) {
	rows, err := c.QueryContext(ctx, d.rebind(`SELECT t.id, t.number, t.subject, t.language, c.name, c.email
		FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id BETWEEN ? AND ? ORDER BY t.id`), lo, hi)
	if err != nil {
		return nil, err
	}
	var out []idSource
	index := map[int64]int{}
	for rows.Next() {
		var s idSource
		if err := rows.Scan(&s.id, &s.number, &s.subject, &s.lang, &s.customerName, &s.customerEmail); err != nil {
			rows.Close()
			return nil, err
		}
		index[s.id] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = c.QueryContext(ctx, d.rebind(`SELECT ticket_id, format = 'html', body FROM `+d.indexedBy("messages", "messages_ticket")+`
		WHERE ticket_id BETWEEN ? AND ? ORDER BY ticket_id, id`), lo, hi)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var m docMessage
		if err := rows.Scan(&id, &m.html, &m.body); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].messages = append(out[i].messages, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = c.QueryContext(ctx, d.rebind(`SELECT tt.ticket_id, g.name FROM `+d.indexedBy("ticket_tags tt", "ticket_tags_ticket")+`
		JOIN tags g ON g.id = tt.tag_id WHERE tt.ticket_id BETWEEN ? AND ? ORDER BY tt.ticket_id, g.name`), lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].tags = append(out[i].tags, name)
		}
	}
	return out, rows.Err()
}
