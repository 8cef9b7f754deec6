-- +goose Up
-- SQLite's triggers (migrations/sqlite 00001, 00009, 00011, 00015, 00017, 00018) as trigger
-- functions: the live inbox counts, a reply's random sample and finding count, and the dashboard's
-- rollups by day and week. Each writes what its SQLite trigger writes, in the same transaction.

-- +goose StatementBegin
CREATE FUNCTION tickets_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE ticket_counts SET n = n - 1 WHERE status = OLD.status AND assignee_id = COALESCE(OLD.assignee_id, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ticket_counts (status, assignee_id, n) VALUES (NEW.status, COALESCE(NEW.assignee_id, 0), 1)
        ON CONFLICT (status, assignee_id) DO UPDATE SET n = ticket_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_count();
CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_count();
CREATE TRIGGER tickets_count_update AFTER UPDATE OF status, assignee_id ON tickets FOR EACH ROW
    WHEN (OLD.status <> NEW.status OR COALESCE(OLD.assignee_id, 0) <> COALESCE(NEW.assignee_id, 0))
    EXECUTE FUNCTION tickets_count();

-- A reply's sample (0..99) is drawn as it is stored, so the queue's random share is stable.
-- +goose StatementBegin
CREATE FUNCTION reply_coaching_sample() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sample := floor(random() * 100);
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER reply_coaching_sample BEFORE INSERT ON reply_coaching FOR EACH ROW EXECUTE FUNCTION reply_coaching_sample();

-- +goose StatementBegin
CREATE FUNCTION coaching_days_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO coaching_days (day, agent_id, replies, score_sum, overridden, warned)
    VALUES (coachdesk_day(NEW.created_at), NEW.agent_id, 1, NEW.score, NEW.overridden::int, (NEW.warning_count > 0)::int)
    ON CONFLICT (day, agent_id) DO UPDATE SET replies = coaching_days.replies + 1,
        score_sum = coaching_days.score_sum + excluded.score_sum,
        overridden = coaching_days.overridden + excluded.overridden, warned = coaching_days.warned + excluded.warned;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER coaching_days_reply AFTER INSERT ON reply_coaching FOR EACH ROW EXECUTE FUNCTION coaching_days_reply();

-- +goose StatementBegin
CREATE FUNCTION coaching_findings_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reply_coaching SET finding_count = finding_count + 1 WHERE message_id = NEW.message_id;
    INSERT INTO coaching_days (day, agent_id, findings) VALUES (coachdesk_day(NEW.created_at), NEW.agent_id, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET findings = coaching_days.findings + 1;
    INSERT INTO coaching_day_rules (day, agent_id, rule, n) VALUES (coachdesk_day(NEW.created_at), NEW.agent_id, NEW.rule, 1)
    ON CONFLICT (day, agent_id, rule) DO UPDATE SET n = coaching_day_rules.n + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER coaching_findings_added AFTER INSERT ON coaching_findings FOR EACH ROW EXECUTE FUNCTION coaching_findings_added();

-- +goose StatementBegin
CREATE FUNCTION coaching_days_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO coaching_days (day, agent_id, fixed) VALUES (coachdesk_day(NEW.created_at), NEW.agent_id, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET fixed = coaching_days.fixed + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER coaching_days_fixed AFTER INSERT ON fixed_findings FOR EACH ROW EXECUTE FUNCTION coaching_days_fixed();

-- The weeks follow the days: a new row and a row that grows (an upsert's update) add to the week.
-- +goose StatementBegin
CREATE FUNCTION coaching_week_rule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO coaching_week_rules (week, agent_id, rule, n) VALUES (coachdesk_week(NEW.day), NEW.agent_id, NEW.rule, NEW.n)
        ON CONFLICT (week, agent_id, rule) DO UPDATE SET n = coaching_week_rules.n + excluded.n;
    ELSE
        UPDATE coaching_week_rules SET n = n + NEW.n - OLD.n
        WHERE week = coachdesk_week(NEW.day) AND agent_id = NEW.agent_id AND rule = NEW.rule;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER coaching_week_rule_new AFTER INSERT ON coaching_day_rules FOR EACH ROW EXECUTE FUNCTION coaching_week_rule();
CREATE TRIGGER coaching_week_rule_grown AFTER UPDATE OF n ON coaching_day_rules FOR EACH ROW EXECUTE FUNCTION coaching_week_rule();

-- +goose StatementBegin
CREATE FUNCTION first_response_week() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO first_response_weeks (week, agent_id, wait_secs, n) VALUES (coachdesk_week(NEW.day), NEW.agent_id, NEW.wait_secs, NEW.n)
        ON CONFLICT (week, agent_id, wait_secs) DO UPDATE SET n = first_response_weeks.n + excluded.n;
    ELSE
        UPDATE first_response_weeks SET n = n + NEW.n - OLD.n
        WHERE week = coachdesk_week(NEW.day) AND agent_id = NEW.agent_id AND wait_secs = NEW.wait_secs;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER first_response_week_new AFTER INSERT ON first_response_days FOR EACH ROW EXECUTE FUNCTION first_response_week();
CREATE TRIGGER first_response_week_grown AFTER UPDATE OF n ON first_response_days FOR EACH ROW EXECUTE FUNCTION first_response_week();

-- A first response counted under its day, the agent who gave it (else the assignee) and its wait.
-- +goose StatementBegin
CREATE FUNCTION count_first_response(t tickets, agent bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO first_response_days (day, agent_id, wait_secs, n)
    VALUES (coachdesk_day(t.first_response_at), agent, coachdesk_wait_bar(coachdesk_wait(t.first_response_at, t.created_at)), 1)
    ON CONFLICT (day, agent_id, wait_secs) DO UPDATE SET n = first_response_days.n + 1;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION service_ticket_created() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_days (day, agent_id, tickets) VALUES (coachdesk_day(NEW.created_at), 0, 1)
    ON CONFLICT (day, agent_id) DO UPDATE SET tickets = handoff_days.tickets + 1;
    IF NEW.assignee_id IS NOT NULL THEN
        INSERT INTO ticket_assignees (ticket_id, user_id) VALUES (NEW.id, NEW.assignee_id) ON CONFLICT DO NOTHING;
    END IF;
    IF NEW.first_response_at IS NOT NULL THEN
        PERFORM count_first_response(NEW, COALESCE(NEW.assignee_id, 0));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER service_ticket_created AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION service_ticket_created();

-- +goose StatementBegin
CREATE FUNCTION service_ticket_assigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_assignees (ticket_id, user_id) VALUES (NEW.id, NEW.assignee_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER service_ticket_assigned AFTER UPDATE OF assignee_id ON tickets FOR EACH ROW
    WHEN (NEW.assignee_id IS NOT NULL) EXECUTE FUNCTION service_ticket_assigned();

-- +goose StatementBegin
CREATE FUNCTION service_first_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count_first_response(NEW, COALESCE((SELECT m.author_user_id FROM messages m WHERE m.ticket_id = NEW.id AND m.kind = 'reply'
        AND m.author_user_id IS NOT NULL ORDER BY m.id LIMIT 1), NEW.assignee_id, 0));
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER service_first_response AFTER UPDATE OF first_response_at ON tickets FOR EACH ROW
    WHEN (OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL) EXECUTE FUNCTION service_first_response();

-- +goose StatementBegin
CREATE FUNCTION service_handoff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO handoff_days (day, agent_id, tickets, handoffs)
        SELECT coachdesk_day(t.created_at), NEW.user_id, 1,
            (EXISTS (SELECT 1 FROM ticket_assignees b WHERE b.ticket_id = NEW.ticket_id AND b.id < NEW.id))::int
        FROM tickets t WHERE t.id = NEW.ticket_id
    ON CONFLICT (day, agent_id) DO UPDATE SET tickets = handoff_days.tickets + 1, handoffs = handoff_days.handoffs + excluded.handoffs;
    -- The team counts a ticket once, when it reaches its second agent.
    UPDATE handoff_days SET handoffs = handoffs + 1
    WHERE agent_id = 0 AND day = (SELECT coachdesk_day(created_at) FROM tickets WHERE id = NEW.ticket_id)
        AND (SELECT COUNT(*) FROM ticket_assignees b WHERE b.ticket_id = NEW.ticket_id) = 2;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER service_handoff AFTER INSERT ON ticket_assignees FOR EACH ROW EXECUTE FUNCTION service_handoff();

-- +goose StatementBegin
CREATE FUNCTION service_solved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_solves (event_id, ticket_id, day, agent_id, solved_at, first_contact)
        SELECT NEW.id, NEW.ticket_id, coachdesk_day(NEW.created_at), COALESCE(t.assignee_id, 0), NEW.created_at,
            ((SELECT COUNT(*) FROM messages m WHERE m.ticket_id = NEW.ticket_id AND m.kind = 'reply' AND m.author_user_id IS NOT NULL) = 1
            AND NOT EXISTS (SELECT 1 FROM ticket_solves p WHERE p.ticket_id = NEW.ticket_id))::int
        FROM tickets t WHERE t.id = NEW.ticket_id;
    INSERT INTO solve_days (day, agent_id, solved, first_contact)
        SELECT day, agent_id, 1, first_contact FROM ticket_solves WHERE event_id = NEW.id
    ON CONFLICT (day, agent_id) DO UPDATE SET solved = solve_days.solved + 1, first_contact = solve_days.first_contact + excluded.first_contact;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER service_solved AFTER INSERT ON ticket_events FOR EACH ROW
    WHEN (NEW.field = 'status' AND NEW.new_value = 'solved') EXECUTE FUNCTION service_solved();

-- +goose StatementBegin
CREATE FUNCTION service_reopened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE solve_days SET reopened = reopened + 1,
        first_contact = first_contact - (SELECT (s.first_contact = 1 AND NEW.created_at - s.solved_at <= interval '7 days')::int
            FROM ticket_solves s WHERE s.ticket_id = NEW.ticket_id ORDER BY s.event_id DESC LIMIT 1)
    WHERE (day, agent_id) = (SELECT s.day, s.agent_id FROM ticket_solves s WHERE s.ticket_id = NEW.ticket_id AND s.reopened = 0
        AND s.event_id = (SELECT MAX(event_id) FROM ticket_solves WHERE ticket_id = NEW.ticket_id));
    UPDATE ticket_solves SET reopened = 1 WHERE event_id = (SELECT MAX(event_id) FROM ticket_solves WHERE ticket_id = NEW.ticket_id);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER service_reopened AFTER INSERT ON ticket_events FOR EACH ROW
    WHEN (NEW.field = 'status' AND NEW.old_value = 'solved') EXECUTE FUNCTION service_reopened();

-- +goose Down
DROP TRIGGER service_reopened ON ticket_events;
DROP TRIGGER service_solved ON ticket_events;
DROP TRIGGER service_handoff ON ticket_assignees;
DROP TRIGGER service_first_response ON tickets;
DROP TRIGGER service_ticket_assigned ON tickets;
DROP TRIGGER service_ticket_created ON tickets;
DROP TRIGGER first_response_week_grown ON first_response_days;
DROP TRIGGER first_response_week_new ON first_response_days;
DROP TRIGGER coaching_week_rule_grown ON coaching_day_rules;
DROP TRIGGER coaching_week_rule_new ON coaching_day_rules;
DROP TRIGGER coaching_days_fixed ON fixed_findings;
DROP TRIGGER coaching_findings_added ON coaching_findings;
DROP TRIGGER coaching_days_reply ON reply_coaching;
DROP TRIGGER reply_coaching_sample ON reply_coaching;
DROP TRIGGER tickets_count_update ON tickets;
DROP TRIGGER tickets_count_delete ON tickets;
DROP TRIGGER tickets_count_insert ON tickets;
DROP FUNCTION service_reopened, service_solved, service_handoff, service_first_response, service_ticket_assigned,
    service_ticket_created, count_first_response, first_response_week, coaching_week_rule, coaching_days_fixed,
    coaching_findings_added, coaching_days_reply, reply_coaching_sample, tickets_count;
