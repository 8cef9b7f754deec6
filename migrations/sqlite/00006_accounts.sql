-- +goose Up
-- Sessions carry the epoch their user had at sign-in; blocking a user or a new password raises it,
-- so an old session cookie stays dead after the user is unblocked.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- Tokens are named so they can be told apart, may expire, and only an integration's token may speak
-- for a customer.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN integration INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN integration;
ALTER TABLE api_tokens DROP COLUMN name;
ALTER TABLE users DROP COLUMN session_epoch;
