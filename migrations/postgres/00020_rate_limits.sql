-- +goose Up
-- The twin of sqlite/00020: sign-in and support-form budgets shared by every instance.
CREATE TABLE rate_limits (
    key    text             PRIMARY KEY,
    tokens double precision NOT NULL,
    at_ms  bigint           NOT NULL
);
CREATE INDEX rate_limits_at ON rate_limits (at_ms);

CREATE TABLE signin_suspects (
    address text   PRIMARY KEY,
    at_ms   bigint NOT NULL
);

-- +goose Down
DROP TABLE signin_suspects;
DROP TABLE rate_limits;
