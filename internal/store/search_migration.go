package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/pressly/goose/v3"
)

// Migration 00008 is Go, not SQL: the search document is stemmed in Go (search.Stem), so only Go
// can build it for the tickets already in a database. It replaces the two FTS indexes of 00001
// (subjects, messages) with one document per ticket, and adds the indexes the inbox's views were
// missing (see plans.md). It runs in one transaction (the store's writer is a single connection,
// which goose holds while it migrates), reading, building and writing a batch of tickets at a time;
// progress goes to the log.
func init() {
	goose.AddNamedMigrationContext("00008_search_document.go", upSearchDocument, downSearchDocument)
}

const searchSchema = `
CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search USING fts5 (subject, body, exact, people, tags,
    content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
-- The index's terms one by one, so a prefix ("pak*") can be expanded into the whole words it stands for.
CREATE VIRTUAL TABLE IF NOT EXISTS ticket_search_vocab USING fts5vocab (ticket_search, instance);
DROP TRIGGER IF EXISTS tickets_fts_insert;
DROP TRIGGER IF EXISTS tickets_fts_delete;
DROP TRIGGER IF EXISTS tickets_fts_update;
DROP TRIGGER IF EXISTS messages_fts_insert;
DROP TRIGGER IF EXISTS messages_fts_delete;
DROP TABLE IF EXISTS tickets_fts_vocab;
DROP TABLE IF EXISTS messages_fts_vocab;
DROP TABLE IF EXISTS tickets_fts;
DROP TABLE IF EXISTS messages_fts;
` + viewIndexes

// searchBatch is how many tickets the migration reads, builds and writes at a time.
const searchBatch = 5000

func upSearchDocument(ctx context.Context, db *sql.Tx) error {
	if _, err := db.ExecContext(ctx, searchSchema); err != nil {
		return fmt.Errorf("search document schema: %w", err)
	}
	if _, err := buildSearchDocuments(ctx, db); err != nil {
		return err
	}
	// A database the planner has statistics for gets them for the new indexes too (seconds at a million tickets).
	var analyzed int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'`).Scan(&analyzed); err != nil || analyzed == 0 {
		return err
	}
	_, err := db.ExecContext(ctx, `ANALYZE tickets`)
	return err
}

// buildSearchDocuments writes the document of every ticket after the last one that has one.
func buildSearchDocuments(ctx context.Context, db *sql.Tx) (int64, error) {
	var from, last, total int64
	err := db.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(rowid) FROM ticket_search), 0),
		COALESCE((SELECT MAX(id) FROM tickets), 0), (SELECT COUNT(*) FROM tickets)`).Scan(&from, &last, &total)
	if err != nil || from >= last {
		return 0, err
	}
	start, lastLog := time.Now(), time.Now()
	var done int64
	slog.Info("search: building the search document", "tickets", total, "after", from)
	for lo := from + 1; lo <= last; lo += searchBatch {
		n, err := writeDocs(ctx, sqliteDialect, db, lo, min(lo+searchBatch-1, last), true)
		if err != nil {
			return done, fmt.Errorf("search document for tickets %d…: %w", lo, err)
		}
		done += int64(n)
		if time.Since(lastLog) > 5*time.Second {
			lastLog = time.Now()
			slog.Info("search: building the search document", "done", done, "of", total-from, "took", time.Since(start).Round(time.Second))
		}
	}
	slog.Info("search: built the search document", "tickets", done, "took", time.Since(start).Round(time.Millisecond))
	return done, nil
}

// downSearchDocument puts back the two indexes of 00001 and 00002 and fills them again.
func downSearchDocument(ctx context.Context, db *sql.Tx) error {
	_, err := db.ExecContext(ctx, `
DROP TABLE IF EXISTS ticket_search_vocab;
DROP TABLE IF EXISTS ticket_search;
`+dropViewIndexes+`
CREATE VIRTUAL TABLE tickets_fts USING fts5 (subject, content = 'tickets', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, subject) VALUES (NEW.id, NEW.subject);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', OLD.id, OLD.subject);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', OLD.id, OLD.subject);
    INSERT INTO tickets_fts (rowid, subject) VALUES (NEW.id, NEW.subject);
END;
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
END;
CREATE VIRTUAL TABLE messages_fts_vocab USING fts5vocab (messages_fts, instance);
CREATE VIRTUAL TABLE tickets_fts_vocab USING fts5vocab (tickets_fts, instance);
INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
`)
	return err
}
