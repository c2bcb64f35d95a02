-- Saved list views of the web app (issue 4): a named filter/sort/columns set on
-- one object. Personal (only the owner sees it) or shared (everyone in the
-- tenant). The view holds no rights: its records are still read through the guard.
CREATE TABLE saved_view (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  object text NOT NULL, -- API name of the listed object
  name text NOT NULL,
  config jsonb NOT NULL, -- { conditions, quick, sort, columns, pageSize, mode }: checked by the web app's route
  owner_id uuid NOT NULL,
  shared boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX saved_view_object_idx ON saved_view (tenant_id, object);
SELECT mosaic_enable_rls('saved_view');
