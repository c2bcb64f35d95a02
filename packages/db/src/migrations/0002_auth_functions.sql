-- The application role reaches the pre-tenant auth tables only through these
-- functions. Every function that changes something checks the tenant set on
-- the transaction, so one tenant can never touch another's sessions.

REVOKE ALL ON login_identity, auth_session, physical_name FROM mosaic_app;
-- Append-only: corrections are new rows, never edits (DESIGN.md, Access).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM mosaic_app;

CREATE FUNCTION mosaic_login_lookup(p_email text)
  RETURNS TABLE (tenant_id uuid, user_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mosaic, pg_temp
  AS $$ SELECT tenant_id, user_id FROM login_identity WHERE email = lower(p_email) $$;

CREATE FUNCTION mosaic_identity_set(p_email text, p_user uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
BEGIN
  IF mosaic_tenant() IS NULL THEN RAISE EXCEPTION 'no tenant set'; END IF;
  DELETE FROM login_identity WHERE user_id = p_user AND tenant_id = mosaic_tenant();
  INSERT INTO login_identity (email, tenant_id, user_id) VALUES (lower(p_email), mosaic_tenant(), p_user);
END $$;

CREATE FUNCTION mosaic_session_lookup(p_hash bytea)
  RETURNS TABLE (tenant_id uuid, user_id uuid, kind text, auth_epoch integer, created_at timestamptz,
                 last_seen_at timestamptz, expires_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mosaic, pg_temp
  AS $$ SELECT tenant_id, user_id, kind, auth_epoch, created_at, last_seen_at, expires_at, revoked_at
        FROM auth_session WHERE token_hash = p_hash $$;

CREATE FUNCTION mosaic_session_create(p_hash bytea, p_user uuid, p_kind text, p_name text, p_epoch integer,
                                      p_expires timestamptz, p_ip text, p_agent text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
BEGIN
  IF mosaic_tenant() IS NULL THEN RAISE EXCEPTION 'no tenant set'; END IF;
  INSERT INTO auth_session (token_hash, tenant_id, user_id, kind, name, auth_epoch, expires_at, ip, user_agent)
  VALUES (p_hash, mosaic_tenant(), p_user, p_kind, p_name, p_epoch, p_expires, p_ip, p_agent);
END $$;

CREATE FUNCTION mosaic_session_touch(p_hash bytea) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp
  AS $$ UPDATE auth_session SET last_seen_at = now() WHERE token_hash = p_hash AND tenant_id = mosaic_tenant() $$;

CREATE FUNCTION mosaic_session_revoke(p_hash bytea) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp
  AS $$ UPDATE auth_session SET revoked_at = now() WHERE token_hash = p_hash AND tenant_id = mosaic_tenant() AND revoked_at IS NULL $$;

CREATE FUNCTION mosaic_session_revoke_user(p_user uuid, p_kind text) RETURNS integer
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  WITH r AS (UPDATE auth_session SET revoked_at = now()
             WHERE tenant_id = mosaic_tenant() AND user_id = p_user AND revoked_at IS NULL
               AND (p_kind IS NULL OR kind = p_kind) RETURNING 1)
  SELECT count(*)::integer FROM r $$;

CREATE FUNCTION mosaic_session_list(p_user uuid)
  RETURNS TABLE (id text, kind text, name text, created_at timestamptz, last_seen_at timestamptz,
                 expires_at timestamptz, ip text, user_agent text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  SELECT encode(token_hash, 'hex'), kind, name, created_at, last_seen_at, expires_at, ip, user_agent
  FROM auth_session WHERE tenant_id = mosaic_tenant() AND user_id = p_user AND revoked_at IS NULL
    AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC $$;

REVOKE ALL ON FUNCTION mosaic_login_lookup, mosaic_identity_set, mosaic_session_lookup, mosaic_session_create,
  mosaic_session_touch, mosaic_session_revoke, mosaic_session_revoke_user, mosaic_session_list FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mosaic_login_lookup, mosaic_identity_set, mosaic_session_lookup, mosaic_session_create,
  mosaic_session_touch, mosaic_session_revoke, mosaic_session_revoke_user, mosaic_session_list TO mosaic_app;
