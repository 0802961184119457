-- Executions and cool-downs, the rows the send path inserts, checked their workspace row by
-- row through a foreign key: a trigger and an SPI query for every row, a fifth of the time of
-- inserting a batch of 400 `sending` rows (1.3-2.3 ms of 6-10 ms). The worker now takes the
-- same lock as that check (`FOR KEY SHARE` on the workspace row) once per batch, in the
-- transaction that writes those rows, before writing them: a workspace deleted first is
-- skipped, and a delete that comes later waits for the commit and then erases the rows below,
-- as the cascade did.
ALTER TABLE outreach_executions DROP CONSTRAINT outreach_executions_workspace_id_fkey;
ALTER TABLE outreach_cooldowns DROP CONSTRAINT outreach_cooldowns_workspace_id_fkey;

CREATE FUNCTION outreach_erase_send_rows() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM outreach_executions WHERE workspace_id = OLD.id;
    DELETE FROM outreach_cooldowns WHERE workspace_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER outreach_workspaces_erase_send_rows AFTER DELETE ON outreach_workspaces
    FOR EACH ROW EXECUTE FUNCTION outreach_erase_send_rows();
