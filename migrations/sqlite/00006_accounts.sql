-- +goose Up
-- Sessions carry the epoch their user had at sign-in; blocking a user raises it, so an old session
-- cookie stays dead after the user is unblocked.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN session_epoch;
