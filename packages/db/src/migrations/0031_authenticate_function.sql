-- One round trip per request for authentication: the session, its user, the
-- user's department subtree and roles, checked together. SECURITY DEFINER so it
-- can read the pre-tenant session table; it sets the session's tenant for its
-- own statement before it reads the tenant tables, so RLS still applies.
CREATE FUNCTION mosaic_authenticate(p_hash bytea)
  RETURNS TABLE (tenant_id uuid, user_id uuid, kind text, session_epoch integer, created_at timestamptz, last_seen_at timestamptz,
                 expires_at timestamptz, revoked_at timestamptz, active boolean, user_epoch integer, is_admin boolean,
                 company_id uuid, department_id uuid, locale text, time_zone text, department_ids uuid[], role_ids uuid[])
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
DECLARE
  s auth_session%ROWTYPE;
BEGIN
  SELECT * INTO s FROM auth_session a WHERE a.token_hash = p_hash;
  IF NOT FOUND THEN RETURN; END IF;
  PERFORM set_config('mosaic.tenant_id', s.tenant_id::text, true);
  RETURN QUERY
    SELECT s.tenant_id, s.user_id, s.kind, s.auth_epoch, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
           u.active, u.auth_epoch, u.is_admin, u.company_id, u.department_id, u.locale, t.time_zone,
           COALESCE((SELECT array_agg(d.id) FROM department d WHERE u.department_id IS NOT NULL AND d.path @> ARRAY[u.department_id]), '{}'),
           COALESCE((SELECT array_agg(r.role_id) FROM user_role r WHERE r.user_id = u.id), '{}')
      FROM app_user u JOIN tenant t ON t.tenant_id = u.tenant_id
     WHERE u.id = s.user_id;
  PERFORM set_config('mosaic.tenant_id', '', true);
END $$;

REVOKE ALL ON FUNCTION mosaic_authenticate FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mosaic_authenticate TO mosaic_app;
