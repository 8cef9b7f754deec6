-- +goose Up
-- Findings the agent fixed before sending: shown by the coach on the draft, gone from the reply
-- that went out. One row per finding, dated with the reply, for the dashboard's "fixed" rate.
CREATE TABLE fixed_findings (
    id         INTEGER  PRIMARY KEY,
    message_id INTEGER  NOT NULL REFERENCES reply_coaching (message_id) ON DELETE CASCADE,
    agent_id   INTEGER  NOT NULL,
    rule       TEXT     NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX fixed_findings_created ON fixed_findings (created_at, agent_id, rule);

-- What the coach showed on a draft while it was written ("rule<TAB>text" lines), compared at send.
ALTER TABLE drafts ADD COLUMN seen_findings TEXT NOT NULL DEFAULT '';

-- The service figures read tickets by when they were first answered and events by kind and date.
CREATE INDEX tickets_first_response ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX ticket_events_field_created ON ticket_events (field, created_at, ticket_id);

-- +goose Down
DROP INDEX ticket_events_field_created;
DROP INDEX tickets_first_response;
ALTER TABLE drafts DROP COLUMN seen_findings;
DROP TABLE fixed_findings;
