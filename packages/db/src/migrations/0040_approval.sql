-- Approval flows (审批流, packages/approval): versioned flow definitions, the
-- instances running them, their steps (one activation of an approval node),
-- tasks (one approver's part of a step) and an append-only history.

-- One row per version. A version that was ever activated is never edited again
-- (a change makes the next version), so an instance pinned to it by flow_id
-- keeps running the definition it started with.
CREATE TABLE approval_flow (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  object text NOT NULL,
  name text NOT NULL,
  version integer NOT NULL,
  active boolean NOT NULL DEFAULT false,
  definition jsonb NOT NULL, -- { entryCondition?, priority?, nodes: [...], edges: [...] }
  activated_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX approval_flow_version_idx ON approval_flow (tenant_id, object, name, version);
-- Only one active version per (object, name).
CREATE UNIQUE INDEX approval_flow_active_idx ON approval_flow (tenant_id, object, name) WHERE active;
SELECT mosaic_enable_rls('approval_flow');

CREATE TABLE approval_instance (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  flow_id uuid NOT NULL, -- the exact version this instance runs
  object text NOT NULL,
  record_id uuid NOT NULL,
  title text,
  status text NOT NULL DEFAULT 'running', -- running | approved | rejected | returned | withdrawn | cancelled
  submitted_by uuid NOT NULL,
  state jsonb NOT NULL DEFAULT '{}', -- parallel joins: { joins: { "<join>@<token>": [branch, …] } }
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, flow_id) REFERENCES approval_flow(tenant_id, id)
);
CREATE INDEX approval_instance_record_idx ON approval_instance (tenant_id, object, record_id, started_at DESC);
CREATE INDEX approval_instance_submitter_idx ON approval_instance (tenant_id, submitted_by, started_at DESC);
-- A record has at most one approval running.
CREATE UNIQUE INDEX approval_instance_running_idx ON approval_instance (tenant_id, object, record_id) WHERE status = 'running';
SELECT mosaic_enable_rls('approval_instance');

-- One activation of an approval node (a node runs again after a reject to it).
CREATE TABLE approval_step (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  node_id text NOT NULL,
  token text NOT NULL DEFAULT '', -- parallel branch path, '' outside parallel branches
  mode text NOT NULL, -- single | countersign | or_sign | percentage
  percentage integer,
  status text NOT NULL DEFAULT 'active', -- active | approved | rejected | cancelled
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, instance_id) REFERENCES approval_instance(tenant_id, id)
);
CREATE INDEX approval_step_instance_idx ON approval_step (tenant_id, instance_id);
SELECT mosaic_enable_rls('approval_step');

-- One approver's part of a step. Tasks of a step are grouped by seq: group n+1
-- opens when group n is decided (managers level by level, 加签 before/after).
CREATE TABLE approval_task (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  instance_id uuid NOT NULL,
  step_id uuid NOT NULL,
  node_id text NOT NULL,
  seq integer NOT NULL DEFAULT 0,
  assignee_id uuid NOT NULL,
  status text NOT NULL, -- waiting | pending | approved | rejected | returned | transferred | cancelled
  origin text NOT NULL DEFAULT 'flow', -- flow | transfer | add_before | add_after | escalation | fallback
  from_task_id uuid, -- the task this one was transferred/escalated from or added by
  comment text,
  decided_by uuid,
  decided_at timestamptz,
  due_at timestamptz,
  timeout_handled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, step_id) REFERENCES approval_step(tenant_id, id)
);
CREATE INDEX approval_task_inbox_idx ON approval_task (tenant_id, assignee_id, status, created_at DESC);
CREATE INDEX approval_task_done_idx ON approval_task (tenant_id, decided_by, decided_at DESC);
CREATE INDEX approval_task_step_idx ON approval_task (tenant_id, step_id, seq);
CREATE INDEX approval_task_due_idx ON approval_task (tenant_id, due_at) WHERE status = 'pending' AND NOT timeout_handled;
SELECT mosaic_enable_rls('approval_task');

-- Every step of every approval: who, when, what, with which comment. Append-only.
CREATE TABLE approval_event (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  instance_id uuid NOT NULL,
  task_id uuid,
  node_id text,
  actor_id uuid, -- null: the system (timeouts, automatic decisions)
  action text NOT NULL, -- start | approve | reject | return | transfer | add_approver | withdraw | comment | cc | auto_approve | auto_reject | escalate | timeout_notify | finish | …
  comment text,
  target_user_id uuid,
  detail jsonb,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX approval_event_instance_idx ON approval_event (tenant_id, instance_id, id);
CREATE INDEX approval_event_cc_idx ON approval_event (tenant_id, target_user_id, id) WHERE action = 'cc';
SELECT mosaic_enable_rls('approval_event');
REVOKE UPDATE, DELETE, TRUNCATE ON approval_event FROM mosaic_app;
