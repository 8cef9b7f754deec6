-- +goose Up
-- The team lead's review of coached replies: verdicts per finding, findings the coach missed,
-- comments to the agent, the agent's disputes, and a log of every review action.

-- sample is a random 0..99 drawn when the reply is stored: a reply without findings joins the
-- review queue when sample < the configured share, so the random share is stable between page loads.
ALTER TABLE reply_coaching ADD COLUMN sample INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reply_coaching ADD COLUMN finding_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reply_coaching ADD COLUMN reviewed_by INTEGER;
ALTER TABLE reply_coaching ADD COLUMN reviewed_at DATETIME;
UPDATE reply_coaching SET
    finding_count = (SELECT COUNT(*) FROM coaching_findings f WHERE f.message_id = reply_coaching.message_id),
    sample = abs(random()) % 100;
-- Triggers keep both whichever way a reply is stored (one at a time or in a bulk load).
-- +goose StatementBegin
CREATE TRIGGER reply_coaching_sample AFTER INSERT ON reply_coaching BEGIN
    UPDATE reply_coaching SET sample = abs(random()) % 100 WHERE message_id = NEW.message_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coaching_findings_count AFTER INSERT ON coaching_findings BEGIN
    UPDATE reply_coaching SET finding_count = finding_count + 1 WHERE message_id = NEW.message_id;
END;
-- +goose StatementEnd
-- The queue newest first, and the random share of replies without findings.
CREATE INDEX reply_coaching_queue ON reply_coaching (created_at, message_id) WHERE finding_count > 0;
CREATE INDEX reply_coaching_sample ON reply_coaching (sample, created_at) WHERE finding_count = 0;

-- Why a finding fired, as the coach reported it (kept so a lead sees it after the pack changed).
ALTER TABLE coaching_findings ADD COLUMN match_pattern TEXT NOT NULL DEFAULT '';
ALTER TABLE coaching_findings ADD COLUMN match_entry TEXT NOT NULL DEFAULT '';

-- The current verdict on a finding; rule, lang and pack_version are copied so precision per
-- rule × language × version reads one index.
CREATE TABLE finding_verdicts (
    finding_id   INTEGER  PRIMARY KEY REFERENCES coaching_findings (id) ON DELETE CASCADE,
    message_id   INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    rule         TEXT     NOT NULL,
    lang         TEXT     NOT NULL,
    pack_version TEXT     NOT NULL,
    verdict      TEXT     NOT NULL CHECK (verdict IN ('confirmed', 'false_positive', 'exception', 'unsure')),
    by_user_id   INTEGER  NOT NULL REFERENCES users (id),
    created_at   DATETIME NOT NULL
);
CREATE INDEX finding_verdicts_rule ON finding_verdicts (rule, lang, pack_version, verdict);
CREATE INDEX finding_verdicts_message ON finding_verdicts (message_id);

-- A finding the coach should have made, added by a lead on a reply from the random share.
CREATE TABLE missed_findings (
    id         INTEGER  PRIMARY KEY,
    message_id INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    rule       TEXT     NOT NULL,
    lang       TEXT     NOT NULL,
    start_pos  INTEGER  NOT NULL,
    end_pos    INTEGER  NOT NULL,
    text       TEXT     NOT NULL,
    by_user_id INTEGER  NOT NULL REFERENCES users (id),
    created_at DATETIME NOT NULL,
    CHECK (start_pos >= 0 AND end_pos > start_pos)
);
CREATE INDEX missed_findings_message ON missed_findings (message_id);
CREATE INDEX missed_findings_rule ON missed_findings (rule, lang);

-- A lead's coaching comment to the agent on one reply; the agent may mark it read and answer once.
CREATE TABLE coaching_comments (
    id          INTEGER  PRIMARY KEY,
    message_id  INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    agent_id    INTEGER  NOT NULL REFERENCES users (id),
    author_id   INTEGER  NOT NULL REFERENCES users (id),
    body        TEXT     NOT NULL CHECK (body <> ''),
    quote       TEXT     NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    read_at     DATETIME,
    answer      TEXT     NOT NULL DEFAULT '',
    answered_at DATETIME
);
CREATE INDEX coaching_comments_agent ON coaching_comments (agent_id, created_at);
CREATE INDEX coaching_comments_message ON coaching_comments (message_id);

-- An agent's dispute of a confirmed finding: once per finding, decided by a lead.
CREATE TABLE finding_disputes (
    finding_id  INTEGER  PRIMARY KEY REFERENCES coaching_findings (id) ON DELETE CASCADE,
    message_id  INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    agent_id    INTEGER  NOT NULL REFERENCES users (id),
    reason      TEXT     NOT NULL CHECK (reason <> ''),
    created_at  DATETIME NOT NULL,
    status      TEXT     NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
    resolved_by INTEGER  REFERENCES users (id),
    resolved_at DATETIME
);
CREATE INDEX finding_disputes_open ON finding_disputes (created_at) WHERE status = 'open';
CREATE INDEX finding_disputes_agent ON finding_disputes (agent_id, created_at);

-- Who did what in a review, and when.
CREATE TABLE review_log (
    id         INTEGER  PRIMARY KEY,
    message_id INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    finding_id INTEGER,
    actor_id   INTEGER  NOT NULL REFERENCES users (id),
    action     TEXT     NOT NULL,
    detail     TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX review_log_message ON review_log (message_id, id);

-- +goose Down
DROP TRIGGER coaching_findings_count;
DROP TRIGGER reply_coaching_sample;
DROP TABLE review_log;
DROP TABLE finding_disputes;
DROP TABLE coaching_comments;
DROP TABLE missed_findings;
DROP TABLE finding_verdicts;
DROP INDEX reply_coaching_sample;
DROP INDEX reply_coaching_queue;
ALTER TABLE coaching_findings DROP COLUMN match_entry;
ALTER TABLE coaching_findings DROP COLUMN match_pattern;
ALTER TABLE reply_coaching DROP COLUMN reviewed_at;
ALTER TABLE reply_coaching DROP COLUMN reviewed_by;
ALTER TABLE reply_coaching DROP COLUMN finding_count;
ALTER TABLE reply_coaching DROP COLUMN sample;
