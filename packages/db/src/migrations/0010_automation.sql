-- Rules engine (issue 5): rules as metadata, their run log, idempotent action
-- runs, round-robin pointers and fire records for schedules and date triggers.
-- Every table leads with tenant_id and is FORCE'd under row-level security.

-- Causation: a rule's writes run with mosaic.cause set for the transaction,
-- so the events they produce say which rule chain caused them (loop stop).
-- Set in two steps so existing rows are not rewritten.
ALTER TABLE outbox_event ADD COLUMN cause jsonb;
ALTER TABLE outbox_event ALTER COLUMN cause SET DEFAULT NULLIF(current_setting('mosaic.cause', true), '')::jsonb;

-- Consumers wake on commit instead of polling hard: one NOTIFY per tenant and
-- transaction (PostgreSQL folds identical notifications of one transaction).
CREATE FUNCTION mosaic_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mosaic_outbox', x.tenant_id::text) FROM (SELECT DISTINCT tenant_id FROM new_rows) AS x;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mosaic_outbox_notify();

CREATE TABLE automation_rule (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  object text, -- null for rules without a record (schedule, webhook)
  name text NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT true,
  trigger jsonb NOT NULL, -- { type, fields?, becomesTrue?, dateField?, offset?, cron?, hookId?, formId? }
  condition text, -- formula over the record
  actions jsonb NOT NULL DEFAULT '[]',
  version integer NOT NULL DEFAULT 1,
  enabled_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX automation_rule_object_idx ON automation_rule (tenant_id, object) WHERE enabled;
SELECT mosaic_enable_rls('automation_rule');

-- One run per (rule, trigger): the trigger key is "e:<event seq>", "s:<fire time>",
-- "d:<record>:<date>", "w:<delivery>". A retry updates the same row.
CREATE TABLE automation_run (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  rule_id uuid NOT NULL,
  trigger_key text NOT NULL,
  trigger jsonb NOT NULL,
  object text,
  record_id uuid,
  inputs jsonb,
  status text NOT NULL, -- running | done | failed | stopped | skipped
  actions jsonb NOT NULL DEFAULT '[]', -- [{ index, type, status, result?, error?, ms }]
  error text,
  attempts integer NOT NULL DEFAULT 1,
  event_at timestamptz,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX automation_run_key_idx ON automation_run (tenant_id, rule_id, trigger_key);
CREATE INDEX automation_run_rule_idx ON automation_run (tenant_id, rule_id, started_at DESC);
SELECT mosaic_enable_rls('automation_run');

-- Exactly-once actions: a row per (rule, trigger, action index), written in the
-- transaction that does the action's database work (or held locked while an
-- email or webhook goes out), so a retry finds it and does not act again.
CREATE TABLE action_run (
  tenant_id uuid NOT NULL,
  rule_id uuid NOT NULL,
  trigger_key text NOT NULL,
  action_index integer NOT NULL,
  action_type text NOT NULL,
  status text NOT NULL, -- running | done
  result jsonb,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, rule_id, trigger_key, action_index)
);
SELECT mosaic_enable_rls('action_run');

-- Round-robin pointers, advanced in the assigning transaction: 30 leads over
-- 3 people give 10 each, whatever the concurrency.
CREATE TABLE automation_counter (
  tenant_id uuid NOT NULL,
  rule_id uuid NOT NULL,
  slot text NOT NULL, -- "<action index>" or "<action index>.<branch>"
  position bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, rule_id, slot)
);
SELECT mosaic_enable_rls('automation_counter');

-- What a schedule, a date trigger, a reminder or a digest has fired: the
-- process that inserts the key enqueues the work, every other one skips it.
CREATE TABLE automation_fire (
  tenant_id uuid NOT NULL,
  key text NOT NULL,
  rule_id uuid,
  fired_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text, -- host:pid of the process that fired it
  PRIMARY KEY (tenant_id, key)
);
SELECT mosaic_enable_rls('automation_fire');
