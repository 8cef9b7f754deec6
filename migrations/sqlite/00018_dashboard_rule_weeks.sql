-- +goose Up
-- The dashboard's findings per rule over a quarter: ~20,000 day rows for 20 agents to group. Whole
-- weeks are kept beside the days, as for the first responses (00017), so a period groups its whole
-- weeks and at most twelve edge days.
CREATE TABLE coaching_week_rules (
    week     TEXT    NOT NULL,
    agent_id INTEGER NOT NULL,
    rule     TEXT    NOT NULL,
    n        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (week, agent_id, rule)
) WITHOUT ROWID;
INSERT INTO coaching_week_rules (week, agent_id, rule, n)
    SELECT date(day, 'weekday 0', '-6 days'), agent_id, rule, SUM(n) FROM coaching_day_rules GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE TRIGGER coaching_week_rule_new AFTER INSERT ON coaching_day_rules BEGIN
    INSERT INTO coaching_week_rules (week, agent_id, rule, n)
        VALUES (date(NEW.day, 'weekday 0', '-6 days'), NEW.agent_id, NEW.rule, NEW.n)
    ON CONFLICT (week, agent_id, rule) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER coaching_week_rule_grown AFTER UPDATE OF n ON coaching_day_rules BEGIN
    UPDATE coaching_week_rules SET n = n + NEW.n - OLD.n
    WHERE week = date(NEW.day, 'weekday 0', '-6 days') AND agent_id = NEW.agent_id AND rule = NEW.rule;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER coaching_week_rule_grown;
DROP TRIGGER coaching_week_rule_new;
DROP TABLE coaching_week_rules;
