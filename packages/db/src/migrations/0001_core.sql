-- Core system tables: tenancy, organisation, identity, metadata, events, audit.
-- Runs as mosaic_owner. Every table holding customer data leads its primary key
-- with tenant_id and is FORCE'd under row-level security (DESIGN.md, Tenancy).

CREATE OR REPLACE FUNCTION mosaic_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('mosaic.tenant_id', true), '')::uuid $$;

CREATE OR REPLACE FUNCTION mosaic_user() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('mosaic.user_id', true), '')::uuid $$;

-- Applies the tenant policy to a table: a query without a tenant set sees nothing.
CREATE OR REPLACE FUNCTION mosaic_enable_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant_id = mosaic_tenant()) WITH CHECK (tenant_id = mosaic_tenant())', tbl);
END $$;

CREATE TABLE tenant (
  tenant_id uuid PRIMARY KEY,
  name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
  default_locale text NOT NULL DEFAULT 'zh-CN',
  created_at timestamptz NOT NULL DEFAULT now()
);
SELECT mosaic_enable_rls('tenant');

CREATE TABLE company (
  tenant_id uuid NOT NULL REFERENCES tenant(tenant_id),
  id uuid NOT NULL,
  name text NOT NULL,
  currency char(3) NOT NULL DEFAULT 'CNY',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT mosaic_enable_rls('company');

CREATE TABLE department (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  company_id uuid,
  parent_id uuid,
  name text NOT NULL,
  manager_id uuid,
  path uuid[] NOT NULL DEFAULT '{}', -- ancestors, root first, itself last: "department and below" is path @> {id}
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES department(tenant_id, id)
);
CREATE INDEX department_path_idx ON department USING gin (path);
SELECT mosaic_enable_rls('department');

CREATE TABLE app_user (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  phone text,
  password_hash text,
  active boolean NOT NULL DEFAULT true,
  is_admin boolean NOT NULL DEFAULT false,
  locale text NOT NULL DEFAULT 'zh-CN',
  department_id uuid,
  company_id uuid,
  -- bumped on password change / deactivation: sessions minted before are dead
  auth_epoch integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES department(tenant_id, id)
);
CREATE UNIQUE INDEX app_user_email_idx ON app_user (tenant_id, lower(email));
SELECT mosaic_enable_rls('app_user');

-- Authentication happens before a tenant is known, so the two lookups it needs
-- (email → user, token → session) are tables outside RLS that the application
-- role cannot read directly; it calls SECURITY DEFINER functions instead.
CREATE TABLE login_identity (
  email text PRIMARY KEY, -- lower-cased
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL
);

CREATE TABLE auth_session (
  token_hash bytea PRIMARY KEY, -- sha256 of the bearer token
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL DEFAULT 'session', -- session | api_token
  name text,
  auth_epoch integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX auth_session_user_idx ON auth_session (tenant_id, user_id);

CREATE TABLE meta_object (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  api_name text NOT NULL,
  table_name text NOT NULL,
  label jsonb NOT NULL,
  plural_label jsonb,
  module text NOT NULL DEFAULT 'custom',
  is_child boolean NOT NULL DEFAULT false,
  parent_object text,
  is_document boolean NOT NULL DEFAULT false,
  title_field text NOT NULL DEFAULT 'name',
  search_fields text[] NOT NULL DEFAULT '{}',
  rules jsonb NOT NULL DEFAULT '[]',
  archived boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX meta_object_name_idx ON meta_object (tenant_id, api_name);
SELECT mosaic_enable_rls('meta_object');

CREATE TABLE meta_field (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  object_id uuid NOT NULL,
  api_name text NOT NULL,
  column_name text,
  type text NOT NULL,
  label jsonb NOT NULL,
  required boolean NOT NULL DEFAULT false,
  is_unique boolean NOT NULL DEFAULT false,
  indexed boolean NOT NULL DEFAULT false,
  default_value jsonb,
  config jsonb NOT NULL DEFAULT '{}',
  position integer NOT NULL DEFAULT 0,
  system boolean NOT NULL DEFAULT false,
  read_only boolean NOT NULL DEFAULT false,
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, object_id) REFERENCES meta_object(tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX meta_field_name_idx ON meta_field (tenant_id, object_id, api_name);
SELECT mosaic_enable_rls('meta_field');

-- Physical tables and columns are shared by tenants (one table per object);
-- this registry hands out names so two tenants' custom fields never collide.
CREATE TABLE physical_name (
  table_name text NOT NULL,
  column_name text NOT NULL DEFAULT '', -- '' for the table itself
  sql_type text,
  PRIMARY KEY (table_name, column_name)
);

-- Gap-free numbering: one row per series and period, taken under a row lock in
-- the inserting transaction, so a rolled-back insert gives its number back.
CREATE TABLE number_series (
  tenant_id uuid NOT NULL,
  series text NOT NULL, -- e.g. "sales_order.number:SO-2026-"
  next_value bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, series)
);
SELECT mosaic_enable_rls('number_series');

-- The outbox: one row per record change, written in the same transaction.
-- Consumers read in (txid, seq) order and only below the oldest running
-- transaction, so an event that commits late can never be skipped.
CREATE TABLE outbox_event (
  tenant_id uuid NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  object text NOT NULL,
  record_id uuid NOT NULL,
  op text NOT NULL, -- create | update | delete | submit | cancel | …
  changes jsonb NOT NULL DEFAULT '{}', -- { field: [old, new] }
  actor_id uuid,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX outbox_event_order_idx ON outbox_event (txid, seq);
SELECT mosaic_enable_rls('outbox_event');

CREATE TABLE event_cursor (
  tenant_id uuid NOT NULL,
  consumer text NOT NULL,
  last_txid xid8 NOT NULL DEFAULT '0',
  last_seq bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, consumer)
);
SELECT mosaic_enable_rls('event_cursor');

-- Append-only audit trail. The application role may INSERT and SELECT only.
CREATE TABLE audit_log (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  ip text,
  kind text NOT NULL, -- record.create | record.update | record.delete | auth.login | auth.denied | meta.* | access.*
  object text,
  record_id uuid,
  changes jsonb, -- { field: [old, new] }
  detail jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_record_idx ON audit_log (tenant_id, object, record_id, id);
SELECT mosaic_enable_rls('audit_log');

CREATE TABLE idempotency_key (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, key)
);
SELECT mosaic_enable_rls('idempotency_key');

-- Long-running work (imports, exports, MRP runs) reports progress here.
CREATE TABLE job (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  kind text NOT NULL,
  status text NOT NULL DEFAULT 'queued', -- queued | running | done | failed
  total integer,
  done integer NOT NULL DEFAULT 0,
  result jsonb,
  error jsonb,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT mosaic_enable_rls('job');

-- Uploaded files: bytes on disk under <dataDir>/files by content hash, facts here.
CREATE TABLE file_object (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  mime text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT mosaic_enable_rls('file_object');
