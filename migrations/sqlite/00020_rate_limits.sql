-- +goose Up
-- Sign-in and support-form budgets live in the database, so every instance spends from the same
-- ones. A bucket holds up to its burst of tokens and refills at its rate; at_ms is when it was last
-- filled (Unix milliseconds, so both databases do the same arithmetic).
CREATE TABLE rate_limits (
    key    TEXT    PRIMARY KEY,
    tokens REAL    NOT NULL,
    at_ms  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_at ON rate_limits (at_ms);

-- An address whose last sign-in did not succeed, for as long as it stays suspect.
CREATE TABLE signin_suspects (
    address TEXT    PRIMARY KEY,
    at_ms   INTEGER NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE signin_suspects;
DROP TABLE rate_limits;
