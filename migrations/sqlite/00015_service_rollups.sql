-- +goose Up
-- The dashboard's service figures at a million tickets: triggers keep them per day and agent as
-- tickets, assignments and status changes are written, so a quarter reads a few thousand rows.

-- First responses per day of the response, agent who gave it and wait, the wait floored to a
-- step that grows with it (1 min under 2 h, 5 min under 12 h, 30 min under 3 days, then 2 h):
-- the percentiles come from this histogram.
CREATE TABLE first_response_days (
    day       TEXT    NOT NULL,
    agent_id  INTEGER NOT NULL, -- 0: no agent known
    wait_secs INTEGER NOT NULL,
    n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id, wait_secs)
) WITHOUT ROWID;

-- Every solve, so a later reopen finds the day, agent and first-contact count it must correct.
CREATE TABLE ticket_solves (
    event_id      INTEGER PRIMARY KEY, -- the status event that solved the ticket
    ticket_id     INTEGER NOT NULL,
    day           TEXT    NOT NULL,
    agent_id      INTEGER NOT NULL,
    solved_at     DATETIME NOT NULL,
    first_contact INTEGER NOT NULL, -- the ticket's first solve, after exactly one agent reply
    reopened      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_solves_ticket ON ticket_solves (ticket_id, event_id);

-- Solves per day of solving and the ticket's assignee then (0: unassigned); first_contact leaves
-- out those the customer reopened within 7 days.
CREATE TABLE solve_days (
    day           TEXT    NOT NULL,
    agent_id      INTEGER NOT NULL,
    solved        INTEGER NOT NULL DEFAULT 0,
    first_contact INTEGER NOT NULL DEFAULT 0,
    reopened      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id)
) WITHOUT ROWID;

-- Every agent a ticket was assigned to, in the order it reached them.
CREATE TABLE ticket_assignees (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    UNIQUE (ticket_id, user_id)
);

-- Tickets per day of creation: agent 0 is the whole team (each ticket once); an agent's row counts
-- the tickets that reached them, and as handoffs those that reached them from another agent.
CREATE TABLE handoff_days (
    day      TEXT    NOT NULL,
    agent_id INTEGER NOT NULL,
    tickets  INTEGER NOT NULL DEFAULT 0,
    handoffs INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id)
) WITHOUT ROWID;

-- The history already written, counted the way the triggers below will count from now on.
INSERT INTO first_response_days (day, agent_id, wait_secs, n)
    SELECT date(first_response_at), agent, CASE
            WHEN w < 7200 THEN w / 60 * 60 WHEN w < 43200 THEN w / 300 * 300
            WHEN w < 259200 THEN w / 1800 * 1800 ELSE w / 7200 * 7200 END, COUNT(*)
    FROM (SELECT first_response_at, COALESCE((SELECT m.author_user_id FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'reply'
                AND m.author_user_id IS NOT NULL ORDER BY m.id LIMIT 1), t.assignee_id, 0) AS agent,
            MAX(CAST(round((julianday(first_response_at) - julianday(created_at)) * 86400) AS INTEGER), 0) AS w
          FROM tickets t WHERE first_response_at IS NOT NULL)
    GROUP BY 1, 2, 3;
INSERT INTO ticket_solves (event_id, ticket_id, day, agent_id, solved_at, first_contact, reopened)
    SELECT e.id, e.ticket_id, date(e.created_at), COALESCE(t.assignee_id, 0), e.created_at,
        (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = e.ticket_id AND m.kind = 'reply' AND m.author_user_id IS NOT NULL AND m.created_at <= e.created_at) = 1
            AND NOT EXISTS (SELECT 1 FROM ticket_events p WHERE p.ticket_id = e.ticket_id AND p.field = 'status' AND p.new_value = 'solved' AND p.id < e.id),
        EXISTS (SELECT 1 FROM ticket_events r WHERE r.ticket_id = e.ticket_id AND r.field = 'status' AND r.old_value = 'solved' AND r.id > e.id)
    FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.field = 'status' AND e.new_value = 'solved';
INSERT INTO solve_days (day, agent_id, solved, first_contact, reopened)
    SELECT s.day, s.agent_id, COUNT(*), SUM(s.first_contact AND NOT EXISTS (SELECT 1 FROM ticket_events r
            WHERE r.ticket_id = s.ticket_id AND r.field = 'status' AND r.old_value = 'solved' AND r.id > s.event_id
            AND julianday(r.created_at) - julianday(s.solved_at) <= 7)), SUM(s.reopened)
    FROM ticket_solves s GROUP BY 1, 2;
INSERT OR IGNORE INTO ticket_assignees (ticket_id, user_id)
    SELECT e.ticket_id, u.id FROM ticket_events e JOIN users u ON u.name = e.new_value
    WHERE e.field = 'assignee' ORDER BY e.id;
INSERT OR IGNORE INTO ticket_assignees (ticket_id, user_id)
    SELECT id, assignee_id FROM tickets WHERE assignee_id IS NOT NULL;
INSERT INTO handoff_days (day, agent_id, tickets, handoffs)
    SELECT date(created_at), 0, COUNT(*), SUM((SELECT COUNT(*) FROM ticket_assignees a WHERE a.ticket_id = t.id) > 1)
    FROM tickets t GROUP BY 1;
INSERT INTO handoff_days (day, agent_id, tickets, handoffs)
    SELECT date(t.created_at), a.user_id, COUNT(*), SUM(EXISTS (SELECT 1 FROM ticket_assignees b WHERE b.ticket_id = a.ticket_id AND b.id < a.id))
    FROM ticket_assignees a JOIN tickets t ON t.id = a.ticket_id GROUP BY 1, 2;

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
-- +goose StatementBegin
CREATE TRIGGER service_ticket_assigned AFTER UPDATE OF assignee_id ON tickets WHEN NEW.assignee_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO ticket_assignees (ticket_id, user_id) VALUES (NEW.id, NEW.assignee_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER service_handoff AFTER INSERT ON ticket_assignees BEGIN
    INSERT INTO handoff_days (day, agent_id, tickets, handoffs)
        SELECT date(t.created_at), NEW.user_id, 1, EXISTS (SELECT 1 FROM ticket_assignees b WHERE b.ticket_id = NEW.ticket_id AND b.id < NEW.id)
        FROM tickets t WHERE t.id = NEW.ticket_id
    ON CONFLICT (day, agent_id) DO UPDATE SET tickets = tickets + 1, handoffs = handoffs + excluded.handoffs;
    -- The team counts a ticket once, when it reaches its second agent.
    UPDATE handoff_days SET handoffs = handoffs + 1
    WHERE agent_id = 0 AND day = (SELECT date(created_at) FROM tickets WHERE id = NEW.ticket_id)
        AND (SELECT COUNT(*) FROM ticket_assignees b WHERE b.ticket_id = NEW.ticket_id) = 2;
END;
-- +goose StatementEnd
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
-- +goose StatementBegin
CREATE TRIGGER service_solved AFTER INSERT ON ticket_events WHEN NEW.field = 'status' AND NEW.new_value = 'solved' BEGIN
    INSERT INTO ticket_solves (event_id, ticket_id, day, agent_id, solved_at, first_contact)
        SELECT NEW.id, NEW.ticket_id, date(NEW.created_at), COALESCE(t.assignee_id, 0), NEW.created_at,
            (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = NEW.ticket_id AND m.kind = 'reply' AND m.author_user_id IS NOT NULL) = 1
            AND NOT EXISTS (SELECT 1 FROM ticket_solves p WHERE p.ticket_id = NEW.ticket_id)
        FROM tickets t WHERE t.id = NEW.ticket_id;
    INSERT INTO solve_days (day, agent_id, solved, first_contact)
        SELECT day, agent_id, 1, first_contact FROM ticket_solves WHERE event_id = NEW.id
    ON CONFLICT (day, agent_id) DO UPDATE SET solved = solved + 1, first_contact = first_contact + excluded.first_contact;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER service_reopened AFTER INSERT ON ticket_events WHEN NEW.field = 'status' AND NEW.old_value = 'solved' BEGIN
    UPDATE solve_days SET reopened = reopened + 1,
        first_contact = first_contact - (SELECT s.first_contact AND julianday(NEW.created_at) - julianday(s.solved_at) <= 7
            FROM ticket_solves s WHERE s.ticket_id = NEW.ticket_id ORDER BY s.event_id DESC LIMIT 1)
    WHERE (day, agent_id) = (SELECT s.day, s.agent_id FROM ticket_solves s WHERE s.ticket_id = NEW.ticket_id AND s.reopened = 0
        AND s.event_id = (SELECT MAX(event_id) FROM ticket_solves WHERE ticket_id = NEW.ticket_id));
    UPDATE ticket_solves SET reopened = 1 WHERE event_id = (SELECT MAX(event_id) FROM ticket_solves WHERE ticket_id = NEW.ticket_id);
END;
-- +goose StatementEnd

-- The dashboard no longer reads first responses from the tickets.
DROP INDEX tickets_first_response_assignee;

-- +goose Down
CREATE INDEX tickets_first_response_assignee ON tickets (first_response_at, assignee_id, created_at) WHERE first_response_at IS NOT NULL;
DROP TRIGGER service_reopened;
DROP TRIGGER service_solved;
DROP TRIGGER service_first_response;
DROP TRIGGER service_handoff;
DROP TRIGGER service_ticket_assigned;
DROP TRIGGER service_ticket_created;
DROP TABLE handoff_days;
DROP TABLE ticket_assignees;
DROP TABLE solve_days;
DROP TABLE ticket_solves;
DROP TABLE first_response_days;
