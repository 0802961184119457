-- The scheduler's due set as its own narrow table, kept in step with outreach_enrollments by
-- triggers. Taking due steps becomes a DELETE from this table (heap only, no index writes)
-- instead of an UPDATE of the wide enrollments table (a new entry in each of its indexes), so
-- a tick costs little more than inserting the jobs themselves (SPEC §10).

CREATE TABLE outreach_due (
    enrollment_id bigint PRIMARY KEY REFERENCES outreach_enrollments (id) ON DELETE CASCADE,
    workspace_id  uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    step          integer NOT NULL,
    run_at        timestamptz NOT NULL
);
CREATE INDEX outreach_due_run_at ON outreach_due (run_at);

ALTER TABLE outreach_due ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_due USING (workspace_id = outreach_current_workspace())
    WITH CHECK (workspace_id = outreach_current_workspace());
GRANT SELECT, INSERT, UPDATE, DELETE ON outreach_due TO outreach_tenant;

-- An enrollment is due exactly when it is active with a next_run_at.
CREATE FUNCTION outreach_sync_due_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.status = 'active' AND NEW.next_run_at IS NOT NULL THEN
        INSERT INTO outreach_due (enrollment_id, workspace_id, step, run_at)
        VALUES (NEW.id, NEW.workspace_id, NEW.current_step, NEW.next_run_at)
        ON CONFLICT (enrollment_id) DO UPDATE SET step = EXCLUDED.step, run_at = EXCLUDED.run_at;
    ELSE
        DELETE FROM outreach_due WHERE enrollment_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

-- Bulk enrollments: one set-based insert per statement.
CREATE FUNCTION outreach_sync_due_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO outreach_due (enrollment_id, workspace_id, step, run_at)
    SELECT id, workspace_id, current_step, next_run_at FROM new_enrollments
    WHERE status = 'active' AND next_run_at IS NOT NULL
    ON CONFLICT (enrollment_id) DO UPDATE SET step = EXCLUDED.step, run_at = EXCLUDED.run_at;
    RETURN NULL;
END
$$;

CREATE TRIGGER outreach_enrollments_due_insert AFTER INSERT ON outreach_enrollments
    REFERENCING NEW TABLE AS new_enrollments
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_sync_due_insert();

-- Only updates that can change dueness fire (not the workers' version bumps).
CREATE TRIGGER outreach_enrollments_due_update AFTER UPDATE OF status, next_run_at, current_step ON outreach_enrollments
    FOR EACH ROW EXECUTE FUNCTION outreach_sync_due_row();

INSERT INTO outreach_due (enrollment_id, workspace_id, step, run_at)
SELECT id, workspace_id, current_step, next_run_at FROM outreach_enrollments
WHERE status = 'active' AND next_run_at IS NOT NULL;

DROP INDEX outreach_enrollments_due;

COMMENT ON COLUMN outreach_enrollments.next_run_at IS
    'When the current step is (or was) due; the scheduler takes due steps from outreach_due, '
    'which triggers keep equal to the active enrollments with a next_run_at.';

-- The queue is the hottest table: no per-row foreign-key check on its inserts. A job whose
-- workspace was deleted finds no context when claimed and is finished without effect; the
-- round-robin cursor (outreach_queue_workspaces) still cascades.
ALTER TABLE outreach_jobs DROP CONSTRAINT outreach_jobs_workspace_id_fkey;
