-- +goose Up
-- E-mail in and out: support addresses, the headers that thread a conversation, a durable outbox,
-- attachments and every received message as it arrived.

-- A support address with how mail arrives (IMAP, or the SMTP listener) and how it leaves (SMTP).
-- Passwords are sealed with COACHDESK_SECRET_KEY (AES-GCM); the columns hold nonce+ciphertext.
CREATE TABLE mailboxes (
    id             INTEGER PRIMARY KEY,
    address        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    name           TEXT    NOT NULL DEFAULT '',
    imap_host      TEXT    NOT NULL DEFAULT '',
    imap_port      INTEGER NOT NULL DEFAULT 993,
    imap_security  TEXT    NOT NULL DEFAULT 'tls' CHECK (imap_security IN ('tls', 'starttls', 'none')),
    imap_user      TEXT    NOT NULL DEFAULT '',
    imap_secret    BLOB,
    imap_folder    TEXT    NOT NULL DEFAULT 'INBOX',
    imap_done      TEXT    NOT NULL DEFAULT '', -- where taken mail is moved; '' keeps it, flagged
    smtp_host      TEXT    NOT NULL DEFAULT '',
    smtp_port      INTEGER NOT NULL DEFAULT 587,
    smtp_security  TEXT    NOT NULL DEFAULT 'starttls' CHECK (smtp_security IN ('tls', 'starttls', 'none')),
    smtp_user      TEXT    NOT NULL DEFAULT '',
    smtp_secret    BLOB,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);

-- Every message that arrived, raw, as it arrived: the full original stays viewable and a
-- malformed one is kept for a person to read. dedupe is the Message-ID (or the raw's SHA-256),
-- so a mail fetched twice, by a restart or a second instance, is taken once.
CREATE TABLE mail_inbound (
    id          INTEGER PRIMARY KEY,
    mailbox_id  INTEGER REFERENCES mailboxes (id) ON DELETE SET NULL,
    dedupe      TEXT    NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('imap', 'smtp', 'test')),
    outcome     TEXT    NOT NULL CHECK (outcome IN ('ticket', 'reply', 'ignored', 'bounce', 'malformed')),
    note        TEXT    NOT NULL DEFAULT '',
    message_id  INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    raw         BLOB    NOT NULL,
    received_at DATETIME NOT NULL,
    UNIQUE (dedupe)
);
CREATE INDEX mail_inbound_message ON mail_inbound (message_id) WHERE message_id IS NOT NULL;

-- The Message-ID each message went out or came in with, for threading by In-Reply-To/References.
CREATE TABLE mail_headers (
    message_id  INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    mailbox_id  INTEGER REFERENCES mailboxes (id) ON DELETE SET NULL,
    header_id   TEXT    NOT NULL, -- without the angle brackets
    in_reply_to TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX mail_headers_header ON mail_headers (header_id);
CREATE INDEX mail_headers_ticket ON mail_headers (ticket_id, message_id);

-- Public replies waiting to leave, queued in the reply's own transaction; one row per message,
-- so a message is never queued (or sent) twice.
CREATE TABLE mail_outbox (
    message_id   INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    mailbox_id   INTEGER REFERENCES mailboxes (id) ON DELETE SET NULL,
    kind         TEXT    NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'confirmation')),
    recipient    TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      DATETIME NOT NULL, -- when the worker may take it (again)
    answer       TEXT    NOT NULL DEFAULT '', -- the server's last answer
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at) WHERE state IN ('queued', 'sending');

-- A confirmation is not a message in the thread; it is sent once per ticket.
CREATE TABLE mail_confirmations (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    mailbox_id INTEGER REFERENCES mailboxes (id) ON DELETE SET NULL,
    header_id  TEXT    NOT NULL,
    recipient  TEXT    NOT NULL,
    subject    TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL DEFAULT '',
    state      TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    DATETIME NOT NULL,
    answer     TEXT    NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX mail_confirmations_due ON mail_confirmations (next_at) WHERE state IN ('queued', 'sending');

-- The confirmation's text per language, as admins edit it; a language without a row uses the built-in text.
CREATE TABLE mail_confirmation_texts (
    lang       TEXT    PRIMARY KEY,
    subject    TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- An agent's optional signature below their mailed replies.
CREATE TABLE mail_signatures (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    body    TEXT    NOT NULL
);

-- Files that came with a message: downloaded by agents, never rendered.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    inline       INTEGER NOT NULL DEFAULT 0,
    content_id   TEXT    NOT NULL DEFAULT '',
    omitted      TEXT    NOT NULL DEFAULT '', -- why the content was not kept (over the limit)
    content      BLOB
);
CREATE INDEX attachments_message ON attachments (message_id);

-- +goose Down
DROP TABLE attachments;
DROP TABLE mail_signatures;
DROP TABLE mail_confirmation_texts;
DROP TABLE mail_confirmations;
DROP TABLE mail_outbox;
DROP TABLE mail_headers;
DROP TABLE mail_inbound;
DROP TABLE mailboxes;
