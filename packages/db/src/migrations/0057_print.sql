-- Printing (packages/print, ADR 0007): the company letterhead every document
-- prints, and print templates as data — per company (NULL: every company), per
-- object; the body is the JSON template language checked by @mosaic/print.

ALTER TABLE company
  ADD COLUMN IF NOT EXISTS address text,
  ADD COLUMN IF NOT EXISTS phone text,
  ADD COLUMN IF NOT EXISTS tax_id text,          -- 统一社会信用代码 / 纳税人识别号
  ADD COLUMN IF NOT EXISTS bank_name text,       -- 开户行
  ADD COLUMN IF NOT EXISTS bank_account text,    -- 账号
  ADD COLUMN IF NOT EXISTS logo_file_id uuid;    -- a file_object (PNG or JPEG) printed on the letterhead

CREATE TABLE print_template (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  company_id uuid,
  object text NOT NULL,   -- the document object's API name
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  body jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX print_template_object_idx ON print_template (tenant_id, object);
-- At most one default per object and company (or for every company).
CREATE UNIQUE INDEX print_template_default_idx ON print_template (tenant_id, object, COALESCE(company_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE is_default;
SELECT mosaic_enable_rls('print_template');
