-- +goose Up
-- The coaching review's thresholds, which admins edit on the precision page: when an error-level
-- rule may block sending (its Wilson lower bound over a number of verdicts), the queue's default
-- random share of replies without findings, and the working days an agent has to dispute a
-- confirmed finding. One row (id 1), seeded with the defaults the code had before.
CREATE TABLE review_settings (
    id           INTEGER  PRIMARY KEY CHECK (id = 1),
    min_lower    REAL     NOT NULL DEFAULT 0.90 CHECK (min_lower BETWEEN 0.5 AND 0.99),
    min_verdicts INTEGER  NOT NULL DEFAULT 50 CHECK (min_verdicts BETWEEN 10 AND 1000),
    sample_share INTEGER  NOT NULL DEFAULT 10 CHECK (sample_share BETWEEN 0 AND 50),
    dispute_days INTEGER  NOT NULL DEFAULT 2 CHECK (dispute_days BETWEEN 1 AND 20),
    updated_by   INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    updated_at   DATETIME
);
INSERT INTO review_settings (id) VALUES (1);

-- Every change, with who made it and when (review_log is per reply, so it cannot hold these).
CREATE TABLE review_settings_log (
    id           INTEGER  PRIMARY KEY,
    actor_id     INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    min_lower    REAL     NOT NULL,
    min_verdicts INTEGER  NOT NULL,
    sample_share INTEGER  NOT NULL,
    dispute_days INTEGER  NOT NULL,
    created_at   DATETIME NOT NULL
);

-- +goose Down
DROP TABLE review_settings_log;
DROP TABLE review_settings;
