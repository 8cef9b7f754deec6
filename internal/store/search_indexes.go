package store

// viewIndexes are the inbox indexes migration 00008 adds, so that every view × filter × sort walks
// an index in its order (the whole table is in plans.md; plans_test.go checks it).
const viewIndexes = `
-- An agent's tickets in every status ("view=all&assignee=N", and the pending/solved views with an
-- assignee): the assignee first, then the order, so a page reads a page.
CREATE INDEX IF NOT EXISTS tickets_assignee_all_updated ON tickets (assignee_id, updated_at, id);
CREATE INDEX IF NOT EXISTS tickets_assignee_all_priority ON tickets (assignee_id, priority_rank, updated_at, id);
CREATE INDEX IF NOT EXISTS tickets_assignee_all_created ON tickets (assignee_id, created_at, id);
-- Newest first within a view: sorting a view by creation read the whole view and sorted it.
CREATE INDEX IF NOT EXISTS tickets_open_created ON tickets (is_open, created_at, id);
CREATE INDEX IF NOT EXISTS tickets_status_created ON tickets (status, created_at, id);
CREATE INDEX IF NOT EXISTS tickets_assignee_created ON tickets (assignee_id, is_open, created_at, id);
`

const dropViewIndexes = `
DROP INDEX IF EXISTS tickets_assignee_all_updated;
DROP INDEX IF EXISTS tickets_assignee_all_priority;
DROP INDEX IF EXISTS tickets_assignee_all_created;
DROP INDEX IF EXISTS tickets_open_created;
DROP INDEX IF EXISTS tickets_status_created;
DROP INDEX IF EXISTS tickets_assignee_created;
`
