-- Public forms (外链表单) and inbound webhooks (issue 5). Their URLs carry no
-- session, so the tenant is found through a registry outside RLS that the
-- application role reaches only through SECURITY DEFINER functions.

CREATE TABLE public_form (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  object text NOT NULL,
  title text NOT NULL,
  description text,
  fields jsonb NOT NULL, -- [{ field, label?, required? }]
  prefill text[] NOT NULL DEFAULT '{}', -- fields that may be prefilled from the URL query
  defaults jsonb NOT NULL DEFAULT '{}', -- hidden values, e.g. { "source": "web" }
  rate_limit integer NOT NULL DEFAULT 10, -- submissions per IP per minute
  success_message text,
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT mosaic_enable_rls('public_form');

-- Per-IP, per-minute submission counters: shared by every process.
CREATE TABLE public_form_hit (
  tenant_id uuid NOT NULL,
  form_id uuid NOT NULL,
  ip text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, form_id, ip, window_start)
);
SELECT mosaic_enable_rls('public_form_hit');

CREATE TABLE inbound_hook (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  secret_hash bytea NOT NULL, -- sha256 of the token; the token is shown once
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
SELECT mosaic_enable_rls('inbound_hook');

CREATE TABLE public_endpoint (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  kind text NOT NULL -- form | hook
);
REVOKE ALL ON public_endpoint FROM mosaic_app;

CREATE FUNCTION mosaic_public_endpoint_lookup(p_id uuid, p_kind text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mosaic, pg_temp
  AS $$ SELECT tenant_id FROM public_endpoint WHERE id = p_id AND kind = p_kind $$;

CREATE FUNCTION mosaic_public_endpoint_set(p_id uuid, p_kind text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = mosaic, pg_temp AS $$
BEGIN
  IF mosaic_tenant() IS NULL THEN RAISE EXCEPTION 'no tenant set'; END IF;
  INSERT INTO public_endpoint (id, tenant_id, kind) VALUES (p_id, mosaic_tenant(), p_kind);
END $$;

CREATE FUNCTION mosaic_public_endpoint_drop(p_id uuid) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = mosaic, pg_temp
  AS $$ DELETE FROM public_endpoint WHERE id = p_id AND tenant_id = mosaic_tenant() $$;

REVOKE ALL ON FUNCTION mosaic_public_endpoint_lookup, mosaic_public_endpoint_set, mosaic_public_endpoint_drop FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mosaic_public_endpoint_lookup, mosaic_public_endpoint_set, mosaic_public_endpoint_drop TO mosaic_app;
