-- The report engine's metadata (issue 6): reports, dashboards, KPI alerts.
-- Definitions are JSON checked by @mosaic/reporting (report.schema.ts); they are
-- compiled to SQL through the access layer on every run, never stored as SQL.

CREATE TABLE report (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  description text,
  source_object text NOT NULL, -- API name; the definition's `source`, kept here to list reports per object
  definition jsonb NOT NULL,
  owner_id uuid NOT NULL,
  shared boolean NOT NULL DEFAULT false, -- false: only the owner (and admins) see it
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX report_source_idx ON report (tenant_id, source_object);
SELECT mosaic_enable_rls('report');

CREATE TABLE dashboard (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  description text,
  widgets jsonb NOT NULL DEFAULT '[]', -- [{ id, title, chart, layout: {x,y,w,h}, reportId | definition, params, dateField }]
  global_filters jsonb NOT NULL DEFAULT '[]', -- which global filters the dashboard offers: date, company, department, owner
  default_role_ids uuid[] NOT NULL DEFAULT '{}', -- the default dashboard of these roles
  owner_id uuid NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX dashboard_roles_idx ON dashboard USING gin (default_role_ids);
SELECT mosaic_enable_rls('dashboard');

-- A threshold on a measure of a report. Evaluated with the owner's rights, on
-- change (outbox events of the report's objects) and every `every_minutes`.
CREATE TABLE kpi_alert (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  report_id uuid NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  measure text NOT NULL,
  op text NOT NULL CHECK (op IN ('gt', 'gte', 'lt', 'lte', 'eq', 'ne')),
  threshold numeric NOT NULL,
  notify_user_ids uuid[] NOT NULL DEFAULT '{}',
  notify_role_ids uuid[] NOT NULL DEFAULT '{}',
  every_minutes integer NOT NULL DEFAULT 60 CHECK (every_minutes > 0),
  active boolean NOT NULL DEFAULT true,
  owner_id uuid NOT NULL,
  objects text[] NOT NULL DEFAULT '{}', -- objects the report reads: events on these trigger evaluation
  last_checked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, report_id) REFERENCES report(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX kpi_alert_objects_idx ON kpi_alert USING gin (objects);
SELECT mosaic_enable_rls('kpi_alert');

-- One row per alert and report row (row_key '' for a report without groups):
-- raise and clear are recorded once each, when the state flips.
CREATE TABLE alert_state (
  tenant_id uuid NOT NULL,
  alert_id uuid NOT NULL,
  row_key text NOT NULL DEFAULT '',
  state text NOT NULL CHECK (state IN ('normal', 'raised')),
  value numeric,
  since timestamptz NOT NULL DEFAULT now(),
  checked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, alert_id, row_key),
  FOREIGN KEY (tenant_id, alert_id) REFERENCES kpi_alert(tenant_id, id) ON DELETE CASCADE
);
SELECT mosaic_enable_rls('alert_state');

-- Until the notifications table exists (automation issue), raised and cleared
-- alerts are kept here and handed to `onAlert` hooks.
CREATE TABLE alert_event (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  alert_id uuid NOT NULL,
  row_key text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('raise', 'clear')),
  value numeric,
  threshold numeric NOT NULL,
  recipient_ids uuid[] NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, alert_id) REFERENCES kpi_alert(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX alert_event_alert_idx ON alert_event (tenant_id, alert_id, id);
SELECT mosaic_enable_rls('alert_event');

-- Dashboard versions: the newest event per object is one index probe.
CREATE INDEX outbox_event_object_seq_idx ON outbox_event (tenant_id, object, seq);
