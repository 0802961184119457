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
