-- +goose Up
-- Sorting a view by priority walked tickets_priority_updated over every ticket and filtered by
-- view: cheap while the first urgent tickets are also the open ones, but a page at the boundary
-- between two priorities read every closed ticket of the higher one (a ninth of the table).
-- With the view's column first, each view reads its own rows in priority order.
CREATE INDEX tickets_open_priority ON tickets (is_open, priority_rank, updated_at, id);
CREATE INDEX tickets_assignee_priority ON tickets (assignee_id, is_open, priority_rank, updated_at, id);
CREATE INDEX tickets_status_priority ON tickets (status, priority_rank, updated_at, id);

-- +goose Down
DROP INDEX tickets_status_priority;
DROP INDEX tickets_assignee_priority;
DROP INDEX tickets_open_priority;
