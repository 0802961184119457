-- Two of 0003's statement triggers did work on every batch for nothing.

-- Provider ids of inserted rows: a row trigger, for rows that carry one. The worker writes each
-- execution first as `sending`, without one; as a statement trigger with a transition table,
-- every such insert (and every outcome upsert, which fires insert triggers too) copied its rows
-- into a tuplestore and ran the function over them to find none. Rows inserted with an id
-- (test fixtures, manual repairs) are few, and each is noted as before. Updates keep their
-- statement trigger: the worker's outcomes set hundreds of ids at once.
CREATE FUNCTION outreach_note_provider_id() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO outreach_provider_messages (channel, provider_message_id, execution_id, workspace_id)
    VALUES (NEW.channel, NEW.provider_message_id, NEW.id, NEW.workspace_id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

DROP TRIGGER outreach_executions_provider_ids_insert ON outreach_executions;
CREATE TRIGGER outreach_executions_provider_id_insert AFTER INSERT ON outreach_executions
    FOR EACH ROW WHEN (NEW.provider_message_id IS NOT NULL) EXECUTE FUNCTION outreach_note_provider_id();

-- The due set after enrollment updates: rows to drop are found by primary key. Joined to the
-- transition table, the cached plan hashed it and scanned all of outreach_due, dead rows of
-- every step the scheduler had taken included, for each of the worker's batches.
CREATE OR REPLACE FUNCTION outreach_sync_due_rows() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM outreach_due d
     WHERE d.enrollment_id = ANY (ARRAY(SELECT id FROM changed_enrollments
                                         WHERE NOT (status = 'active' AND next_run_at IS NOT NULL)));
    INSERT INTO outreach_due (enrollment_id, workspace_id, step, run_at)
    SELECT id, workspace_id, current_step, next_run_at FROM changed_enrollments
     WHERE status = 'active' AND next_run_at IS NOT NULL
    ON CONFLICT (enrollment_id) DO UPDATE SET step = EXCLUDED.step, run_at = EXCLUDED.run_at
        WHERE (outreach_due.step, outreach_due.run_at) IS DISTINCT FROM (EXCLUDED.step, EXCLUDED.run_at);
    RETURN NULL;
END
$$;
