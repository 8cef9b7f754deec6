-- +goose Up
-- The review at a million replies: the queue's quick filters read small partial indexes, and the
-- dashboard reads one row per day and agent (and rule) that triggers keep as replies are stored.
CREATE INDEX reply_coaching_overridden ON reply_coaching (message_id) WHERE overridden = 1;
CREATE INDEX coaching_findings_not_helpful_message ON coaching_findings (message_id) WHERE not_helpful = 1;
CREATE INDEX finding_disputes_message ON finding_disputes (message_id);
-- First responses by the assignee, covering: the dashboard's percentiles read no table rows.
CREATE INDEX tickets_first_response_assignee ON tickets (first_response_at, assignee_id, created_at) WHERE first_response_at IS NOT NULL;
DROP INDEX tickets_first_response;

CREATE TABLE coaching_days (
    day        TEXT    NOT NULL, -- YYYY-MM-DD, UTC
    agent_id   INTEGER NOT NULL,
    replies    INTEGER NOT NULL DEFAULT 0,
    score_sum  INTEGER NOT NULL DEFAULT 0,
    findings   INTEGER NOT NULL DEFAULT 0,
    overridden INTEGER NOT NULL DEFAULT 0,
    warned     INTEGER NOT NULL DEFAULT 0,
    fixed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id)
) WITHOUT ROWID;

CREATE TABLE coaching_day_rules (
    day      TEXT    NOT NULL,
    agent_id INTEGER NOT NULL,
    rule     TEXT    NOT NULL,
    n        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id, rule)
) WITHOUT ROWID;

INSERT INTO coaching_days (day, agent_id, replies, score_sum, findings, overridden, warned)
    SELECT date(created_at), agent_id, COUNT(*), SUM(score), SUM(finding_count), SUM(overridden), SUM(warning_count > 0)
    FROM reply_coaching GROUP BY 1, 2;
INSERT INTO coaching_days (day, agent_id, fixed)
    SELECT date(created_at), agent_id, COUNT(*) FROM fixed_findings WHERE true GROUP BY 1, 2
    ON CONFLICT (day, agent_id) DO UPDATE SET fixed = excluded.fixed;
INSERT INTO coaching_day_rules (day, agent_id, rule, n)
    SELECT date(created_at), agent_id, rule, COUNT(*) FROM coaching_findings GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE TRIGGER coaching_days_reply AFTER INSERT ON reply_coaching BEGIN
    INSERT INTO coaching_days (day, agent_id, replies, score_sum, overridden, warned)
    VALUES (date(NEW.created_at), NEW.agent_id, 1, NEW.score, NEW.overridden, NEW.warning_count > 0)
    ON CONFLICT (day, agent_id) DO UPDATE SET replies = replies + 1, score_sum = score_sum + excluded.score_sum,
        overridden = overridden + excluded.overridden, warned = warned + excluded.warned;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coaching_days_finding AFTER INSERT ON coaching_findings BEGIN
    INSERT INTO coaching_days (day, agent_id, findings) VALUES (date(NEW.created_at), NEW.agent_id, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET findings = findings + 1;
    INSERT INTO coaching_day_rules (day, agent_id, rule, n) VALUES (date(NEW.created_at), NEW.agent_id, NEW.rule, 1)
    ON CONFLICT (day, agent_id, rule) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coaching_days_fixed AFTER INSERT ON fixed_findings BEGIN
    INSERT INTO coaching_days (day, agent_id, fixed) VALUES (date(NEW.created_at), NEW.agent_id, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET fixed = fixed + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER coaching_days_fixed;
DROP TRIGGER coaching_days_finding;
DROP TRIGGER coaching_days_reply;
DROP TABLE coaching_day_rules;
DROP TABLE coaching_days;
CREATE INDEX tickets_first_response ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;
DROP INDEX tickets_first_response_assignee;
DROP INDEX finding_disputes_message;
DROP INDEX coaching_findings_not_helpful_message;
DROP INDEX reply_coaching_overridden;
