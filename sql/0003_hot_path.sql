-- The send path's per-row costs (measured with pg_stat_statements and perf at benchmark rates).
--
-- The updated_at triggers ran a PL/pgSQL function for every updated row. The hot statements
-- now set updated_at themselves, and the trigger only fires for an UPDATE that leaves it as it
-- was, so every other statement still gets it right without saying so.
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
             WHERE g.tgname = c.relname || '_touch' AND NOT g.tgisinternal
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_touch', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW '
                       'WHEN (NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at) '
                       'EXECUTE FUNCTION outreach_touch_updated_at()', t || '_touch', t);
    END LOOP;
END
$$;

-- Executions are the audit trail and name their entity themselves (entity_type, entity_id).
-- Their links to the enrollment and the contact are kept as plain ids: the foreign keys cost
-- two lookups per send, and their ON DELETE SET NULL scanned every execution for each deleted
-- contact (deleting a workspace of 20 000 contacts took over a minute). Readers LEFT JOIN them,
-- so an id whose row is gone reads as it did after SET NULL.
ALTER TABLE outreach_executions
    DROP CONSTRAINT outreach_executions_contact_id_fkey,
    DROP CONSTRAINT outreach_executions_enrollment_id_fkey;

-- A step's advance rewrites its enrollment row: with room left on each page the new version
-- stays on it (a HOT update) and none of the table's four indexes gets a new entry. Pages
-- written from now on keep the room; older ones get it when the table is next rewritten.
ALTER TABLE outreach_enrollments SET (fillfactor = 85);

-- The due set followed enrollment updates row by row (a PL/pgSQL call and a DELETE per row);
-- one set-based pass per statement does the same. The only writers are the worker's advance,
-- the user's pause/resume/cancel and a reply stopping a sequence, and the pass is idempotent,
-- so running it for every UPDATE statement rather than only for some columns is harmless.
CREATE FUNCTION outreach_sync_due_rows() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM outreach_due d USING changed_enrollments c
     WHERE d.enrollment_id = c.id AND NOT (c.status = 'active' AND c.next_run_at IS NOT NULL);
    INSERT INTO outreach_due (enrollment_id, workspace_id, step, run_at)
    SELECT id, workspace_id, current_step, next_run_at FROM changed_enrollments
     WHERE status = 'active' AND next_run_at IS NOT NULL
    ON CONFLICT (enrollment_id) DO UPDATE SET step = EXCLUDED.step, run_at = EXCLUDED.run_at
        WHERE (outreach_due.step, outreach_due.run_at) IS DISTINCT FROM (EXCLUDED.step, EXCLUDED.run_at);
    RETURN NULL;
END
$$;

DROP TRIGGER outreach_enrollments_due_update ON outreach_enrollments;
DROP FUNCTION outreach_sync_due_row();
CREATE TRIGGER outreach_enrollments_due_update AFTER UPDATE ON outreach_enrollments
    REFERENCING NEW TABLE AS changed_enrollments
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_sync_due_rows();

-- Provider message ids in their own narrow table, so that recording a send's outcome (status,
-- provider id, sent_at) changes no indexed column of outreach_executions: with room on the
-- page that update is HOT and writes no entry into the table's five other indexes. Webhooks
-- find their execution through this table. Statement-level triggers keep it in step with
-- every writer, so outreach_executions.provider_message_id stays the one truth.
CREATE TABLE outreach_provider_messages (
    channel             text NOT NULL,
    provider_message_id text NOT NULL,
    execution_id        bigint NOT NULL,
    workspace_id        uuid NOT NULL,
    PRIMARY KEY (channel, provider_message_id, execution_id)
);
ALTER TABLE outreach_provider_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_provider_messages USING (workspace_id = outreach_current_workspace())
    WITH CHECK (workspace_id = outreach_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON outreach_provider_messages TO outreach_tenant;

INSERT INTO outreach_provider_messages (channel, provider_message_id, execution_id, workspace_id)
SELECT channel, provider_message_id, id, workspace_id FROM outreach_executions WHERE provider_message_id IS NOT NULL
ON CONFLICT DO NOTHING;

CREATE FUNCTION outreach_note_provider_ids() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO outreach_provider_messages (channel, provider_message_id, execution_id, workspace_id)
    SELECT channel, provider_message_id, id, workspace_id FROM written_executions WHERE provider_message_id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION outreach_forget_provider_ids() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM outreach_provider_messages p USING removed_executions r
     WHERE p.channel = r.channel AND p.provider_message_id = r.provider_message_id AND p.execution_id = r.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER outreach_executions_provider_ids_insert AFTER INSERT ON outreach_executions
    REFERENCING NEW TABLE AS written_executions
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_note_provider_ids();
CREATE TRIGGER outreach_executions_provider_ids_update AFTER UPDATE ON outreach_executions
    REFERENCING NEW TABLE AS written_executions
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_note_provider_ids();
CREATE TRIGGER outreach_executions_provider_ids_delete AFTER DELETE ON outreach_executions
    REFERENCING OLD TABLE AS removed_executions
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_forget_provider_ids();

DROP INDEX outreach_executions_provider_id;
ALTER TABLE outreach_executions SET (fillfactor = 75);
