-- Access policy, part 2 (issue 3): what the policy guard and the permission
-- admin API need beyond the tables of 0003.

-- A role may be described; built-in roles (installed from packages/access
-- default-roles.data.ts) keep their code, custom roles get one from the admin.
ALTER TABLE role ADD COLUMN description text;
ALTER TABLE role ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Scopes: own | department | department_tree | company | all | filter (with scope_filter,
-- a filter-DSL tree). `object` is an object API name, '*' for every object, or an
-- admin area ('admin.roles', 'admin.users', 'admin.org') that no API name can spell.
ALTER TABLE role_permission ADD CONSTRAINT role_permission_scope_check
  CHECK (scope IN ('own', 'department', 'department_tree', 'company', 'all', 'filter'));
ALTER TABLE role_permission ADD CONSTRAINT role_permission_filter_check
  CHECK ((scope = 'filter') = (scope_filter IS NOT NULL));
ALTER TABLE role_field_rule ADD CONSTRAINT role_field_rule_rule_check CHECK (rule IN ('hidden', 'read_only'));
CREATE INDEX role_permission_object_idx ON role_permission (tenant_id, object);

-- Which default permissions of a built-in role were applied for which object,
-- so re-applying the defaults (a module installed later) adds only what is new
-- and never re-grants what an admin took away.
CREATE TABLE role_default_applied (
  tenant_id uuid NOT NULL,
  role_id uuid NOT NULL,
  object text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, role_id, object),
  FOREIGN KEY (tenant_id, role_id) REFERENCES role(tenant_id, id) ON DELETE CASCADE
);
SELECT mosaic_enable_rls('role_default_applied');

-- Every process caches compiled policies briefly; a change tells them all
-- (LISTEN mosaic_access, payload: the tenant), like mosaic_meta for metadata.
CREATE FUNCTION mosaic_access_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mosaic_access', coalesce(mosaic_tenant()::text, ''));
  RETURN NULL;
END $$;
CREATE TRIGGER role_permission_changed AFTER INSERT OR UPDATE OR DELETE ON role_permission
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_access_changed();
CREATE TRIGGER role_field_rule_changed AFTER INSERT OR UPDATE OR DELETE ON role_field_rule
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_access_changed();
CREATE TRIGGER role_changed AFTER DELETE ON role
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_access_changed();
