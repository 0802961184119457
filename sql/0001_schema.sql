-- Outreach schema, version 1: the whole data model of SPEC §3.
-- Applied by `outreach migrate` inside one transaction. Never edit this file once landed:
-- a change is a new numbered file.

-- Tenant scoping --------------------------------------------------------------------------------
-- Tenant sessions (a reseller's CLI, the assistant API) run as the NOLOGIN role outreach_tenant
-- with `outreach.workspace_id` set per transaction; the fleet's own role owns the tables and
-- therefore bypasses the policies (they are not FORCEd).
DO $$
BEGIN
    CREATE ROLE outreach_tenant NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- roles are cluster-wide: another database of this cluster created it already
END
$$;
GRANT outreach_tenant TO CURRENT_USER;

CREATE FUNCTION outreach_current_workspace() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('outreach.workspace_id', true), '')::uuid $$;

CREATE FUNCTION outreach_touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

CREATE FUNCTION outreach_forbid_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$;

-- Workspaces and contacts -----------------------------------------------------------------------
CREATE TABLE outreach_workspaces (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 200),
    timezone    text NOT NULL DEFAULT 'UTC',
    send_window jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outreach_contacts (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id             uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    entity_type              text NOT NULL CHECK (entity_type IN ('lead', 'prospect')),
    entity_id                text NOT NULL CHECK (entity_id <> '' AND length(entity_id) <= 200),
    name                     text NOT NULL DEFAULT '',
    company                  text,
    email                    text,
    phone                    text,
    telegram_chat_id         text,
    status                   text NOT NULL DEFAULT 'new',
    timezone                 text,
    attributes               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    -- Opaque one-click unsubscribe token (RFC 8058): 244 random bits, unique fleet-wide.
    unsubscribe_token        text NOT NULL UNIQUE
        DEFAULT replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
    -- Start of WhatsApp's 24 h customer-service window: the contact's last inbound message.
    whatsapp_last_inbound_at timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, entity_type, entity_id)
);
CREATE INDEX outreach_contacts_status ON outreach_contacts (workspace_id, status);
CREATE INDEX outreach_contacts_email ON outreach_contacts (workspace_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX outreach_contacts_phone ON outreach_contacts (workspace_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX outreach_contacts_telegram ON outreach_contacts (workspace_id, telegram_chat_id) WHERE telegram_chat_id IS NOT NULL;

-- The seven outreach tables ---------------------------------------------------------------------
CREATE TABLE outreach_channel_config (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    channel      text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'telegram')),
    enabled      boolean NOT NULL DEFAULT false,
    daily_limit  integer CHECK (daily_limit IS NULL OR daily_limit >= 0),
    -- Sender identity: {"from": "Name <addr>"} for email, {"phone_number_id": "…"} for WhatsApp.
    sender       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(sender) = 'object'),
    send_window  jsonb,
    -- Set fleet-wide when the provider rejects our credentials, so workers stop burning jobs.
    paused_until timestamptz,
    pause_reason text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, channel)
);

CREATE TABLE outreach_templates (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    channel      text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'telegram')),
    subject      text,
    body         text NOT NULL,
    text_body    text,
    variables    text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name, channel),
    CHECK (channel <> 'email' OR subject IS NOT NULL)
);

CREATE TABLE outreach_sequences (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    send_window  jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, name),
    UNIQUE (workspace_id, id)
);

CREATE TABLE outreach_sequence_steps (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id      uuid NOT NULL,
    sequence_id       bigint NOT NULL,
    position          integer NOT NULL CHECK (position >= 1),
    channel           text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'telegram')),
    template_name     text NOT NULL,
    delay             interval NOT NULL DEFAULT '0' CHECK (delay >= interval '0'),
    condition         text NOT NULL DEFAULT 'always'
        CHECK (condition IN ('always', 'no_reply', 'no_open', 'no_click', 'opened', 'clicked')),
    -- Approved template used outside WhatsApp's 24 h window: {"name": "…", "language": "it"}.
    whatsapp_template jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, sequence_id) REFERENCES outreach_sequences (workspace_id, id) ON DELETE CASCADE,
    UNIQUE (sequence_id, position)
);

CREATE TABLE outreach_enrollments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL,
    sequence_id  bigint NOT NULL,
    contact_id   bigint NOT NULL REFERENCES outreach_contacts (id) ON DELETE CASCADE,
    entity_type  text NOT NULL CHECK (entity_type IN ('lead', 'prospect')),
    entity_id    text NOT NULL,
    status       text NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'paused', 'completed', 'cancelled', 'replied', 'failed')),
    -- The next step to run (1-based); past the last step once completed.
    current_step integer NOT NULL DEFAULT 1 CHECK (current_step >= 1),
    -- When the current step is due; NULL while it sits in the queue or the enrollment is not active.
    next_run_at  timestamptz,
    -- Optimistic locking: every update is `WHERE id = $1 AND version = $2` and bumps it.
    version      integer NOT NULL DEFAULT 1,
    last_error   text,
    completed_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, sequence_id) REFERENCES outreach_sequences (workspace_id, id) ON DELETE CASCADE,
    UNIQUE (sequence_id, entity_type, entity_id)
);
-- The scheduler's hot path: only due, active enrollments are in this index.
CREATE INDEX outreach_enrollments_due ON outreach_enrollments (next_run_at, id)
    WHERE status = 'active' AND next_run_at IS NOT NULL;
CREATE INDEX outreach_enrollments_entity ON outreach_enrollments (workspace_id, entity_type, entity_id);
CREATE INDEX outreach_enrollments_contact ON outreach_enrollments (contact_id);

CREATE TABLE outreach_executions (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id        uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    enrollment_id       bigint REFERENCES outreach_enrollments (id) ON DELETE SET NULL,
    sequence_id         bigint,
    step_position       integer,
    contact_id          bigint REFERENCES outreach_contacts (id) ON DELETE SET NULL,
    entity_type         text NOT NULL,
    entity_id           text NOT NULL,
    channel             text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'telegram')),
    template_name       text,
    -- One per (enrollment, step), or per one-off send; also the Resend Idempotency-Key.
    idempotency_key     text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 256),
    status              text NOT NULL
        CHECK (status IN ('sending', 'sent', 'delivered', 'opened', 'read', 'clicked', 'replied',
                          'bounced', 'complained', 'failed', 'unknown', 'skipped', 'blocked', 'deferred')),
    reason              text,
    attempt             integer NOT NULL DEFAULT 1,
    provider_message_id text,
    error_code          text,
    error_message       text,
    sent_at             timestamptz,
    delivered_at        timestamptz,
    opened_at           timestamptz,
    clicked_at          timestamptz,
    replied_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outreach_executions_provider_id ON outreach_executions (channel, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX outreach_executions_enrollment ON outreach_executions (enrollment_id, step_position);
CREATE INDEX outreach_executions_entity ON outreach_executions (workspace_id, entity_type, entity_id, created_at);
CREATE INDEX outreach_executions_analytics ON outreach_executions (workspace_id, channel, created_at);

-- Every status an execution passed through, for timelines and analytics (append-only).
CREATE TABLE outreach_execution_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    execution_id bigint NOT NULL REFERENCES outreach_executions (id) ON DELETE CASCADE,
    status       text NOT NULL,
    reason       text,
    source       text NOT NULL DEFAULT 'worker',
    occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outreach_execution_events_execution ON outreach_execution_events (execution_id, occurred_at);
CREATE INDEX outreach_execution_events_analytics ON outreach_execution_events (workspace_id, occurred_at);

CREATE TABLE outreach_consent (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    entity_type  text NOT NULL CHECK (entity_type IN ('lead', 'prospect')),
    entity_id    text NOT NULL,
    channel      text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'telegram')),
    status       text NOT NULL CHECK (status IN ('granted', 'revoked')),
    source       text,
    lawful_basis text,
    granted_at   timestamptz,
    revoked_at   timestamptz,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Also the consent lookup index of the send path.
    UNIQUE (workspace_id, entity_type, entity_id, channel)
);

CREATE TABLE outreach_consent_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    channel      text NOT NULL,
    action       text NOT NULL CHECK (action IN ('grant', 'revoke')),
    actor        text NOT NULL,
    source       text,
    lawful_basis text,
    occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outreach_consent_history_entity
    ON outreach_consent_history (workspace_id, entity_type, entity_id, channel, occurred_at);
CREATE TRIGGER outreach_consent_history_append_only BEFORE UPDATE OR DELETE ON outreach_consent_history
    FOR EACH ROW EXECUTE FUNCTION outreach_forbid_change();

-- The engine's own tables -------------------------------------------------------------------------
CREATE TABLE outreach_jobs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id   uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('step', 'send', 'noop')),
    -- Enqueueing the same key twice is a no-op: `step:<enrollment>:<position>` for sequence steps.
    dedupe_key     text UNIQUE,
    enrollment_id  bigint,
    step_position  integer,
    payload        jsonb NOT NULL DEFAULT '{}',
    state          text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'dead')),
    run_at         timestamptz NOT NULL DEFAULT now(),
    attempt        integer NOT NULL DEFAULT 0,
    max_attempts   integer NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
    locked_by      text,
    locked_until   timestamptz,
    last_error     text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
-- Claims: per workspace, oldest due first (fair claims walk workspaces, then this index).
CREATE INDEX outreach_jobs_claim ON outreach_jobs (workspace_id, run_at, id) WHERE state = 'queued';
CREATE INDEX outreach_jobs_due ON outreach_jobs (run_at, id) WHERE state = 'queued';
-- The rescuer: expired leases.
CREATE INDEX outreach_jobs_lease ON outreach_jobs (locked_until) WHERE state = 'running';

-- Round-robin cursor for fair claims across workspaces (see ../shared/notes: ~14 % cost).
CREATE TABLE outreach_queue_workspaces (
    workspace_id    uuid PRIMARY KEY REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    last_claimed_at timestamptz NOT NULL DEFAULT '-infinity'
);

-- Race-free daily limits: `INSERT … ON CONFLICT DO UPDATE … WHERE sent < limit RETURNING`.
CREATE TABLE outreach_daily_counters (
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    channel      text NOT NULL,
    day          date NOT NULL,
    sent         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, channel, day)
);

-- Race-free 24 h cool-downs per (workspace, entity, channel), across all sequences.
CREATE TABLE outreach_cooldowns (
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    channel      text NOT NULL,
    last_sent_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, entity_type, entity_id, channel)
);

CREATE TABLE outreach_suppressions (
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    channel      text NOT NULL CHECK (channel IN ('email', 'whatsapp', 'telegram')),
    -- Normalised address: lower-case email, digits-only phone, Telegram chat id.
    address      text NOT NULL,
    reason       text NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'blocked', 'unsubscribe', 'manual')),
    source       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, channel, address)
);

-- Webhook dedupe: a provider event id is processed once (svix-id, WhatsApp status id+status, …).
CREATE TABLE outreach_webhook_events (
    provider     text NOT NULL,
    event_id     text NOT NULL,
    workspace_id uuid REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX outreach_webhook_events_received ON outreach_webhook_events (received_at);

-- Fleet-wide provider throughput: one token bucket per provider account.
CREATE TABLE outreach_rate_buckets (
    account      text PRIMARY KEY,
    capacity     double precision NOT NULL CHECK (capacity > 0),
    refill_rate  double precision NOT NULL CHECK (refill_rate > 0),
    tokens       double precision NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- A 429 with Retry-After pauses the account for every worker until then.
    paused_until timestamptz
);

-- Per-workspace API tokens for the assistant endpoint (only a SHA-256 of the token is stored).
CREATE TABLE outreach_api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES outreach_workspaces (id) ON DELETE CASCADE,
    token_hash   text NOT NULL UNIQUE,
    role         text NOT NULL DEFAULT 'reseller' CHECK (role IN ('admin', 'reseller')),
    label        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

-- Global settings, among them the fleet-wide kill switch (`kill_switch` = true stops sends).
CREATE TABLE outreach_settings (
    key        text PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO outreach_settings (key, value) VALUES ('kill_switch', 'false');

-- updated_at triggers ---------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['outreach_workspaces', 'outreach_contacts', 'outreach_channel_config',
        'outreach_templates', 'outreach_sequences', 'outreach_sequence_steps', 'outreach_enrollments',
        'outreach_executions', 'outreach_consent', 'outreach_settings']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION outreach_touch_updated_at()',
                       t || '_touch', t);
    END LOOP;
END
$$;

-- Row-level security: every workspace-scoped table, keyed on outreach.workspace_id ---------------
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['outreach_contacts', 'outreach_channel_config', 'outreach_templates',
        'outreach_sequences', 'outreach_sequence_steps', 'outreach_enrollments', 'outreach_executions',
        'outreach_execution_events', 'outreach_consent', 'outreach_consent_history', 'outreach_jobs',
        'outreach_queue_workspaces', 'outreach_daily_counters', 'outreach_cooldowns',
        'outreach_suppressions', 'outreach_webhook_events', 'outreach_api_tokens']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (workspace_id = outreach_current_workspace())
                        WITH CHECK (workspace_id = outreach_current_workspace())', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO outreach_tenant', t);
    END LOOP;
END
$$;
ALTER TABLE outreach_workspaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outreach_workspaces USING (id = outreach_current_workspace());
GRANT SELECT ON outreach_workspaces TO outreach_tenant;
GRANT SELECT ON outreach_settings TO outreach_tenant;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO outreach_tenant;
