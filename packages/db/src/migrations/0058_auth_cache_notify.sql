-- Each process may keep authenticated sessions for a few seconds (packages/identity
-- session-cache.ts) so a request does not pay a round trip for mosaic_authenticate.
-- Whatever that function reads tells every process on commit (LISTEN mosaic_auth,
-- payload: the tenant, '' for all), like mosaic_access for role policies.
CREATE FUNCTION mosaic_auth_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mosaic_auth', coalesce(mosaic_tenant()::text, ''));
  RETURN NULL;
END $$;

-- Users (active, epoch, admin flag, department, locale), their roles, the department
-- tree ("department and below") and the tenant's time zone.
CREATE TRIGGER app_user_auth_changed AFTER UPDATE OR DELETE ON app_user
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_auth_changed();
CREATE TRIGGER user_role_auth_changed AFTER INSERT OR UPDATE OR DELETE ON user_role
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_auth_changed();
CREATE TRIGGER department_auth_changed AFTER INSERT OR UPDATE OR DELETE ON department
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_auth_changed();
CREATE TRIGGER tenant_auth_changed AFTER UPDATE OR DELETE ON tenant
  FOR EACH STATEMENT EXECUTE FUNCTION mosaic_auth_changed();

-- Sessions live outside RLS (the tenant may not be set): the row names it. Touching
-- last_seen_at (once a minute per session) is not a change anyone must hear about.
CREATE FUNCTION mosaic_session_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mosaic_auth', OLD.tenant_id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER auth_session_changed AFTER UPDATE OF revoked_at, expires_at, auth_epoch, user_id, tenant_id OR DELETE ON auth_session
  FOR EACH ROW EXECUTE FUNCTION mosaic_session_changed();
