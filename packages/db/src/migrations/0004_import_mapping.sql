-- Saved column mappings for imports (platform foundation, part 6): which file
-- column fills which field of an object, kept per tenant under a name so a file
-- from the same source imports again without mapping by hand.
CREATE TABLE import_mapping (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  object text NOT NULL, -- object API name
  name text NOT NULL,
  mapping jsonb NOT NULL, -- { "column header": "field_api_name" | "money_field.currency" | null }
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, object, name)
);
SELECT mosaic_enable_rls('import_mapping');
