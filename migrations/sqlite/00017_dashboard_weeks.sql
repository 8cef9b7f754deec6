-- +goose Up
-- The dashboard's first-response percentiles over a quarter at a million tickets: a per-day
-- histogram with a bar per minute is ~90,000 rows to add up for 20 agents. The bars become coarser
-- (1 min under 10 min, 5 min under 1 h, 15 min under 4 h, 1 h under 12 h, 3 h under 2 days, 12 h
-- under a week, then a day; a floor at most 8 % under the wait up to a week) and whole weeks are
-- kept beside the days, so a period reads its whole weeks and at most twelve edge days.

DELETE FROM first_response_days;
INSERT INTO first_response_days (day, agent_id, wait_secs, n)
    SELECT date(first_response_at), agent, CASE
            WHEN w < 600 THEN w / 60 * 60 WHEN w < 3600 THEN w / 300 * 300 WHEN w < 14400 THEN w / 900 * 900
            WHEN w < 43200 THEN w / 3600 * 3600 WHEN w < 172800 THEN w / 10800 * 10800
            WHEN w < 604800 THEN w / 43200 * 43200 ELSE w / 86400 * 86400 END, COUNT(*)
    FROM (SELECT first_response_at, COALESCE((SELECT m.author_user_id FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply'
                AND m.author_user_id IS NOT NULL ORDER BY m.id LIMIT 1), t.assignee_id, 0) AS agent,
            MAX(CAST(round((julianday(first_response_at) - julianday(created_at)) * 86400) AS INTEGER), 0) AS w
          FROM tickets t WHERE first_response_at IS NOT NULL)
    GROUP BY 1, 2, 3;

-- Weeks start on Monday; date(day, 'weekday 0', '-6 days') is the Monday of day's week.
CREATE TABLE first_response_weeks (
    week      TEXT    NOT NULL,
    agent_id  INTEGER NOT NULL,
    wait_secs INTEGER NOT NULL,
    n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, agent_id, wait_secs)
) WITHOUT ROWID;
INSERT INTO first_response_weeks (week, agent_id, wait_secs, n)
    SELECT date(day, 'weekday 0', '-6 days'), agent_id, wait_secs, SUM(n) FROM first_response_days GROUP BY 1, 2, 3;

-- The weeks follow the days: a new bar and a bar that grows (an upsert's update) add to the week.
-- +goose StatementBegin
CREATE TRIGGER first_response_week_new AFTER INSERT ON first_response_days BEGIN
    INSERT INTO first_response_weeks (week, agent_id, wait_secs, n)
        VALUES (date(NEW.day, 'weekday 0', '-6 days'), NEW.agent_id, NEW.wait_secs, NEW.n)
    ON CONFLICT (week, agent_id, wait_secs) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER first_response_week_grown AFTER UPDATE OF n ON first_response_days BEGIN
    UPDATE first_response_weeks SET n = n + NEW.n - OLD.n
    WHERE week = date(NEW.day, 'weekday 0', '-6 days') AND agent_id = NEW.agent_id AND wait_secs = NEW.wait_secs;
END;
-- +goose StatementEnd

DROP TRIGGER service_ticket_created;
-- +goose StatementBegin
CREATE TRIGGER service_ticket_created AFTER INSERT ON tickets BEGIN
    INSERT INTO handoff_days (day, agent_id, tickets) VALUES (date(NEW.created_at), 0, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET tickets = tickets + 1;
    INSERT OR IGNORE INTO ticket_assignees (ticket_id, user_id) SELECT NEW.id, NEW.assignee_id WHERE NEW.assignee_id IS NOT NULL;
    INSERT INTO first_response_days (day, agent_id, wait_secs, n)
        SELECT date(NEW.first_response_at), COALESCE(NEW.assignee_id, 0), CASE
            WHEN w < 600 THEN w / 60 * 60 WHEN w < 3600 THEN w / 300 * 300 WHEN w < 14400 THEN w / 900 * 900
            WHEN w < 43200 THEN w / 3600 * 3600 WHEN w < 172800 THEN w / 10800 * 10800
            WHEN w < 604800 THEN w / 43200 * 43200 ELSE w / 86400 * 86400 END, 1
        FROM (SELECT MAX(CAST(round((julianday(NEW.first_response_at) - julianday(NEW.created_at)) * 86400) AS INTEGER), 0) AS w)
        WHERE NEW.first_response_at IS NOT NULL
    ON CONFLICT (day, agent_id, wait_secs) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
DROP TRIGGER service_first_response;
-- +goose StatementBegin
CREATE TRIGGER service_first_response AFTER UPDATE OF first_response_at ON tickets
WHEN OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL BEGIN
    INSERT INTO first_response_days (day, agent_id, wait_secs, n)
        SELECT date(NEW.first_response_at), COALESCE((SELECT m.author_user_id FROM messages m WHERE m.ticket_id = NEW.id AND m.kind = 'reply'
                AND m.author_user_id IS NOT NULL ORDER BY m.id LIMIT 1), NEW.assignee_id, 0), CASE
            WHEN w < 600 THEN w / 60 * 60 WHEN w < 3600 THEN w / 300 * 300 WHEN w < 14400 THEN w / 900 * 900
            WHEN w < 43200 THEN w / 3600 * 3600 WHEN w < 172800 THEN w / 10800 * 10800
            WHEN w < 604800 THEN w / 43200 * 43200 ELSE w / 86400 * 86400 END, 1
        FROM (SELECT MAX(CAST(round((julianday(NEW.first_response_at) - julianday(NEW.created_at)) * 86400) AS INTEGER), 0) AS w) WHERE true
    ON CONFLICT (day, agent_id, wait_secs) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- The precision table's count of reviewed random-share replies, without reading the whole share.
CREATE INDEX reply_coaching_sampled_reviewed ON reply_coaching (lang) WHERE finding_count = 0 AND reviewed_at IS NOT NULL;

-- +goose Down
DROP INDEX reply_coaching_sampled_reviewed;
DROP TRIGGER first_response_week_grown;
DROP TRIGGER first_response_week_new;
DROP TABLE first_response_weeks;
DROP TRIGGER service_ticket_created;
-- +goose StatementBegin
CREATE TRIGGER service_ticket_created AFTER INSERT ON tickets BEGIN
    INSERT INTO handoff_days (day, agent_id, tickets) VALUES (date(NEW.created_at), 0, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET tickets = tickets + 1;
    INSERT OR IGNORE INTO ticket_assignees (ticket_id, user_id) SELECT NEW.id, NEW.assignee_id WHERE NEW.assignee_id IS NOT NULL;
    INSERT INTO first_response_days (day, agent_id, wait_secs, n)
        SELECT date(NEW.first_response_at), COALESCE(NEW.assignee_id, 0), CASE
            WHEN w < 7200 THEN w / 60 * 60 WHEN w < 43200 THEN w / 300 * 300
            WHEN w < 259200 THEN w / 1800 * 1800 ELSE w / 7200 * 7200 END, 1
        FROM (SELECT MAX(CAST(round((julianday(NEW.first_response_at) - julianday(NEW.created_at)) * 86400) AS INTEGER), 0) AS w)
        WHERE NEW.first_response_at IS NOT NULL
    ON CONFLICT (day, agent_id, wait_secs) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
DROP TRIGGER service_first_response;
-- +goose StatementBegin
CREATE TRIGGER service_first_response AFTER UPDATE OF first_response_at ON tickets
WHEN OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL BEGIN
    INSERT INTO first_response_days (day, agent_id, wait_secs, n)
        SELECT date(NEW.first_response_at), COALESCE((SELECT m.author_user_id FROM messages m WHERE m.ticket_id = NEW.id AND m.kind = 'reply'
                AND m.author_user_id IS NOT NULL ORDER BY m.id LIMIT 1), NEW.assignee_id, 0), CASE
            WHEN w < 7200 THEN w / 60 * 60 WHEN w < 43200 THEN w / 300 * 300
            WHEN w < 259200 THEN w / 1800 * 1800 ELSE w / 7200 * 7200 END, 1
        FROM (SELECT MAX(CAST(round((julianday(NEW.first_response_at) - julianday(NEW.created_at)) * 86400) AS INTEGER), 0) AS w) WHERE true
    ON CONFLICT (day, agent_id, wait_secs) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
DELETE FROM first_response_days;
INSERT INTO first_response_days (day, agent_id, wait_secs, n)
    SELECT date(first_response_at), agent, CASE
            WHEN w < 7200 THEN w / 60 * 60 WHEN w < 43200 THEN w / 300 * 300
            WHEN w < 259200 THEN w / 1800 * 1800 ELSE w / 7200 * 7200 END, COUNT(*)
    FROM (SELECT first_response_at, COALESCE((SELECT m.author_user_id FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply'
                AND m.author_user_id IS NOT NULL ORDER BY m.id LIMIT 1), t.assignee_id, 0) AS agent,
            MAX(CAST(round((julianday(first_response_at) - julianday(created_at)) * 86400) AS INTEGER), 0) AS w
          FROM tickets t WHERE first_response_at IS NOT NULL)
    GROUP BY 1, 2, 3;
