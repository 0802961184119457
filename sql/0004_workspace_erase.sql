-- Consent history is append-only for as long as its workspace exists. Deleting the workspace
-- itself (erasing a tenant, or the demo re-seeding its own workspace) cascades to the history,
-- and that cascade was refused like any other delete, so no workspace with consent history
-- could ever be deleted. A delete now passes only when the row's workspace is already gone in
-- this transaction, which only the cascade from outreach_workspaces can arrange.
CREATE OR REPLACE FUNCTION outreach_forbid_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM outreach_workspaces WHERE id = OLD.workspace_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
