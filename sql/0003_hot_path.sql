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
