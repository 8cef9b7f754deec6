-- +goose Up
-- The search document (internal/store/search_doc.go, search_pg.go): one tsvector per ticket, built
-- from the same words SQLite's ticket_search holds, stemmed in the ticket's language, each part
-- under its own weight (A subject stems, B body stems, C the words as written, D the customer and
-- number), so a query can ask one part as FTS5 asks one column. A GIN index answers the matching.
CREATE TABLE ticket_search (
    ticket_id bigint   PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    doc       tsvector NOT NULL
);
CREATE INDEX ticket_search_doc ON ticket_search USING gin (doc);

-- +goose Down
DROP TABLE ticket_search;
