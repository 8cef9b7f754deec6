-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('agent', 'lead', 'admin')),
    password_hash TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    locale        TEXT    NOT NULL DEFAULT 'da',
    created_at    DATETIME NOT NULL
);

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL COLLATE NOCASE UNIQUE,
    organisation TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL
);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    number            INTEGER NOT NULL UNIQUE,
    subject           TEXT    NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
    priority          TEXT    NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    priority_rank     INTEGER NOT NULL,
    assignee_id       INTEGER REFERENCES users (id),
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    channel           TEXT    NOT NULL CHECK (channel IN ('web', 'email', 'api', 'phone')),
    language          TEXT    NOT NULL DEFAULT 'da',
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    first_response_at DATETIME,
    solved_at         DATETIME,
    -- "open" work = new or open; one indexed column lets every inbox view walk an index in order.
    is_open           INTEGER GENERATED ALWAYS AS (status IN ('new', 'open')) VIRTUAL
);
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_open_updated ON tickets (is_open, updated_at, id);
CREATE INDEX tickets_status_updated ON tickets (status, updated_at, id);
CREATE INDEX tickets_assignee_updated ON tickets (assignee_id, is_open, updated_at, id);
CREATE INDEX tickets_priority_updated ON tickets (priority_rank, updated_at, id);
CREATE INDEX tickets_customer_updated ON tickets (customer_id, updated_at, id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE
);
CREATE TABLE ticket_tags (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, ticket_id)
) WITHOUT ROWID;
CREATE INDEX ticket_tags_ticket ON ticket_tags (ticket_id);

CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY,
    ticket_id          INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_user_id     INTEGER REFERENCES users (id),
    author_customer_id INTEGER REFERENCES customers (id),
    kind               TEXT    NOT NULL CHECK (kind IN ('reply', 'note')),
    format             TEXT    NOT NULL DEFAULT 'text' CHECK (format IN ('text', 'html')),
    body               TEXT    NOT NULL,
    created_at         DATETIME NOT NULL,
    CHECK ((author_user_id IS NULL) <> (author_customer_id IS NULL))
);
CREATE INDEX messages_ticket ON messages (ticket_id, id);

-- Who changed what, when: the ticket page shows it and nothing ever updates it.
CREATE TABLE ticket_events (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    actor_user_id INTEGER REFERENCES users (id),
    field         TEXT NOT NULL,
    old_value     TEXT NOT NULL DEFAULT '',
    new_value     TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- Live inbox counts without counting a million rows: triggers keep one row per (status, assignee).
CREATE TABLE ticket_counts (
    status      TEXT    NOT NULL,
    assignee_id INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (status, assignee_id)
) WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_counts (status, assignee_id, n) VALUES (NEW.status, COALESCE(NEW.assignee_id, 0), 1)
    ON CONFLICT (status, assignee_id) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets BEGIN
    UPDATE ticket_counts SET n = n - 1 WHERE status = OLD.status AND assignee_id = COALESCE(OLD.assignee_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tickets_count_update AFTER UPDATE OF status, assignee_id ON tickets
WHEN OLD.status <> NEW.status OR COALESCE(OLD.assignee_id, 0) <> COALESCE(NEW.assignee_id, 0) BEGIN
    UPDATE ticket_counts SET n = n - 1 WHERE status = OLD.status AND assignee_id = COALESCE(OLD.assignee_id, 0);
    INSERT INTO ticket_counts (status, assignee_id, n) VALUES (NEW.status, COALESCE(NEW.assignee_id, 0), 1)
    ON CONFLICT (status, assignee_id) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- Full-text search over subjects and message bodies; external content keeps one copy of the text.
CREATE VIRTUAL TABLE tickets_fts USING fts5 (subject, content = 'tickets', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');

-- +goose StatementBegin
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, subject) VALUES (NEW.id, NEW.subject);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', OLD.id, OLD.subject);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, subject) VALUES ('delete', OLD.id, OLD.subject);
    INSERT INTO tickets_fts (rowid, subject) VALUES (NEW.id, NEW.subject);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (NEW.id, NEW.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body);
END;
-- +goose StatementEnd

CREATE TABLE saved_replies (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);

-- The table scs's sqlite3store expects: sessions live in the database and survive restarts.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE saved_replies;
DROP TABLE messages_fts;
DROP TABLE tickets_fts;
DROP TABLE ticket_counts;
DROP TABLE ticket_events;
DROP TABLE messages;
DROP TABLE ticket_tags;
DROP TABLE tags;
DROP TABLE tickets;
DROP TABLE customers;
DROP TABLE users;
