-- +goose Up
-- The terms of each full-text index, so search can expand a trailing prefix ("pakke*") into the
-- whole terms it stands for: FTS5 merges every matching doclist for a prefix query, even for a
-- lookup by rowid, while an OR of whole terms seeks. fts5vocab tables store nothing themselves.
CREATE VIRTUAL TABLE messages_fts_vocab USING fts5vocab (messages_fts, row);
CREATE VIRTUAL TABLE tickets_fts_vocab USING fts5vocab (tickets_fts, row);

-- +goose Down
DROP TABLE tickets_fts_vocab;
DROP TABLE messages_fts_vocab;
