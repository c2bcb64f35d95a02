-- Roles and permissions are data (DESIGN.md, Access): role × object × action
-- with a record scope, and field rules. The enforcement layer reads these.

CREATE TABLE role (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  code text NOT NULL, -- e.g. "sales_rep"; built-in roles ship with a code
  label jsonb NOT NULL,
  module text NOT NULL DEFAULT 'custom',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX role_code_idx ON role (tenant_id, code);
SELECT mosaic_enable_rls('role');

CREATE TABLE user_role (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, user_id, role_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, role_id) REFERENCES role(tenant_id, id) ON DELETE CASCADE
);
SELECT mosaic_enable_rls('user_role');

CREATE TABLE role_permission (
  tenant_id uuid NOT NULL,
  role_id uuid NOT NULL,
  object text NOT NULL,
  action text NOT NULL,
  scope text NOT NULL DEFAULT 'all', -- own | department | department_tree | all | filter
  scope_filter jsonb,
  PRIMARY KEY (tenant_id, role_id, object, action),
  FOREIGN KEY (tenant_id, role_id) REFERENCES role(tenant_id, id) ON DELETE CASCADE
);
SELECT mosaic_enable_rls('role_permission');

CREATE TABLE role_field_rule (
  tenant_id uuid NOT NULL,
  role_id uuid NOT NULL,
  object text NOT NULL,
  field text NOT NULL,
  rule text NOT NULL, -- hidden | read_only
  PRIMARY KEY (tenant_id, role_id, object, field),
  FOREIGN KEY (tenant_id, role_id) REFERENCES role(tenant_id, id) ON DELETE CASCADE
);
SELECT mosaic_enable_rls('role_field_rule');

-- What a fresh installation has done once (first tenant created, …). Owner-only.
CREATE TABLE install_state (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
REVOKE ALL ON install_state FROM mosaic_app;

-- Every tenant, for work that spans tenants (installing a module's metadata
-- into each on start-up, workers). Owner-only, outside RLS: holds no customer data.
CREATE TABLE tenant_registry (
  tenant_id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON tenant_registry FROM mosaic_app;
