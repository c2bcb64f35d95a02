-- Login throttling (issue 3): failures per account, per address and per
-- (account, address), kept in the database so every process sees them. Like
-- login_identity these are checked before a tenant is known, so they sit
-- outside RLS and the application role reaches them only through functions.
-- Rows older than an hour are useless and are purged as new ones arrive: no
-- counter outlives its window, so no lockout is ever permanent.

CREATE TABLE login_failure (
  key text NOT NULL, -- 'acct:<email>' | 'addr:<ip>' | 'pair:<email>|<ip>'
  at timestamptz NOT NULL
);
CREATE INDEX login_failure_key_idx ON login_failure (key, at);
CREATE INDEX login_failure_at_idx ON login_failure (at);

-- Addresses an account logged in from successfully: failures by others
-- elsewhere do not throttle the account there (an attacker cannot lock a user
-- out of the office network by failing from outside).
CREATE TABLE login_known_address (
  account text NOT NULL,
  address text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (account, address)
);

REVOKE ALL ON login_failure, login_known_address FROM mosaic_app;

CREATE FUNCTION mosaic_login_throttle_state(p_keys text[], p_since timestamptz)
  RETURNS TABLE (key text, failures integer, first_at timestamptz, last_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  SELECT f.key, count(*)::integer, min(f.at), max(f.at) FROM login_failure f
  WHERE f.key = ANY(p_keys) AND f.at > p_since GROUP BY f.key $$;

CREATE FUNCTION mosaic_login_failed(p_keys text[], p_at timestamptz) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  DELETE FROM login_failure WHERE at < p_at - interval '1 hour';
  INSERT INTO login_failure (key, at) SELECT k, p_at FROM unnest(p_keys) AS k $$;

CREATE FUNCTION mosaic_login_succeeded(p_account text, p_address text, p_at timestamptz) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  DELETE FROM login_failure WHERE key = 'pair:' || p_account || '|' || p_address;
  INSERT INTO login_known_address (account, address, at) VALUES (p_account, p_address, p_at)
    ON CONFLICT (account, address) DO UPDATE SET at = excluded.at $$;

CREATE FUNCTION mosaic_login_known_address(p_account text, p_address text, p_since timestamptz) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM login_known_address WHERE account = p_account AND address = p_address AND at > p_since) $$;

-- Sessions and API tokens by id (the hex of the token hash: useless without the token).
CREATE FUNCTION mosaic_session_revoke_id(p_user uuid, p_id text, p_kind text) RETURNS integer
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
  WITH r AS (UPDATE auth_session SET revoked_at = now()
             WHERE tenant_id = mosaic_tenant() AND user_id = p_user AND kind = p_kind AND revoked_at IS NULL
               AND token_hash = decode(p_id, 'hex') RETURNING 1)
  SELECT count(*)::integer FROM r $$;

REVOKE ALL ON FUNCTION mosaic_login_throttle_state, mosaic_login_failed, mosaic_login_succeeded, mosaic_login_known_address,
  mosaic_session_revoke_id FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mosaic_login_throttle_state, mosaic_login_failed, mosaic_login_succeeded, mosaic_login_known_address,
  mosaic_session_revoke_id TO mosaic_app;
