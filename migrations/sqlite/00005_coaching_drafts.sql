-- +goose Up
-- The composer's unsent text, one per ticket and agent. rev is the client's counter: an upsert
-- applies a save only if its rev is higher, and sending leaves an empty row (a tombstone) so a save
-- still in flight cannot bring the sent text back.
CREATE TABLE drafts (
    ticket_id  INTEGER  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id    INTEGER  NOT NULL REFERENCES users (id),
    kind       TEXT     NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'note')),
    lang       TEXT     NOT NULL DEFAULT '',
    body       TEXT     NOT NULL,
    rev        INTEGER  NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX drafts_user ON drafts (user_id);

-- What the coach said about each coached reply, kept for team leads.
CREATE TABLE reply_coaching (
    message_id      INTEGER  PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    ticket_id       INTEGER  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id        INTEGER  NOT NULL REFERENCES users (id),
    lang            TEXT     NOT NULL,
    pack_version    TEXT     NOT NULL DEFAULT '',
    score           INTEGER  NOT NULL,
    overridden      INTEGER  NOT NULL DEFAULT 0,
    override_reason TEXT     NOT NULL DEFAULT '',
    error_count     INTEGER  NOT NULL DEFAULT 0,
    warning_count   INTEGER  NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL,
    CHECK (overridden = 0 OR override_reason <> '')
);
CREATE INDEX reply_coaching_ticket ON reply_coaching (ticket_id);
-- Covering for per-agent totals in a date range and an agent's replies newest first.
CREATE INDEX reply_coaching_agent_created ON reply_coaching (agent_id, created_at, message_id, score, overridden);
CREATE INDEX reply_coaching_created ON reply_coaching (created_at);

-- One row per finding. agent_id and created_at are copied from the reply so a lead's counts read
-- one covering index and never join.
CREATE TABLE coaching_findings (
    id                 INTEGER  PRIMARY KEY,
    message_id         INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    agent_id           INTEGER  NOT NULL,
    created_at         DATETIME NOT NULL,
    rule               TEXT     NOT NULL,
    severity           TEXT     NOT NULL CHECK (severity IN ('error', 'warning', 'suggestion')),
    start_pos          INTEGER  NOT NULL,
    end_pos            INTEGER  NOT NULL,
    text               TEXT     NOT NULL DEFAULT '',
    not_helpful        INTEGER  NOT NULL DEFAULT 0,
    not_helpful_reason TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX coaching_findings_message ON coaching_findings (message_id, start_pos);
-- Counts per rule are one range per rule on these (rule IN (…) keeps the rows in rule order, so
-- GROUP BY needs no sort); message_id lets "replies with a finding of R" stay in the index.
CREATE INDEX coaching_findings_rule ON coaching_findings (rule, created_at, message_id, not_helpful);
CREATE INDEX coaching_findings_agent ON coaching_findings (agent_id, rule, created_at, message_id, not_helpful);
-- Not-helpful marks are a small share of findings: a partial index keeps them by date for review.
CREATE INDEX coaching_findings_not_helpful ON coaching_findings (created_at, rule, agent_id) WHERE not_helpful = 1;

-- +goose Down
DROP TABLE coaching_findings;
DROP TABLE reply_coaching;
DROP TABLE drafts;
