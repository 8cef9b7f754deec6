-- +goose Up
-- The next ticket number, taken and raised in the transaction that creates the ticket, instead of
-- MAX(number) + 1: on PostgreSQL several instances write at once, and one schema keeps both alike.
CREATE TABLE ticket_numbers (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO ticket_numbers (id, last) SELECT 1, COALESCE(MAX(number), 1000) FROM tickets;

-- +goose Down
DROP TABLE ticket_numbers;
