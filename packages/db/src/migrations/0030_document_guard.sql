-- Submitted documents are immutable, enforced by the database, not only the API
-- (DESIGN.md, Documents). Installed on every document table and on the child
-- tables of documents by the metadata DDL.
--
-- A document row whose status is not 'draft' may change only:
--   * its status, when the lifecycle service marks the transaction
--     (set_config('mosaic.doc_transition', 'on', true)), and
--   * fields the tenant's metadata marks "editable after submit", plus the
--     bookkeeping columns version / updated_at / updated_by.
-- It can never be deleted. Child rows of such a document can't change at all.

CREATE OR REPLACE FUNCTION mosaic_guard_document() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  allowed text[];
  transition boolean := current_setting('mosaic.doc_transition', true) = 'on';
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'a % document cannot be deleted', OLD.status USING ERRCODE = 'MS001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' AND NEW.status = 'draft' THEN RETURN NEW; END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT transition THEN
    RAISE EXCEPTION 'status changes only through submit, approve, cancel' USING ERRCODE = 'MS001';
  END IF;
  IF OLD.status = 'draft' THEN RETURN NEW; END IF; -- draft → submitted: the whole row goes in as it is
  SELECT coalesce(array_agg(f.column_name), '{}') INTO allowed
    FROM meta_field f JOIN meta_object o ON o.tenant_id = f.tenant_id AND o.id = f.object_id
   WHERE o.table_name = TG_TABLE_NAME AND (f.config->>'editableAfterSubmit')::boolean IS TRUE;
  allowed := allowed || ARRAY['version', 'updated_at', 'updated_by'];
  IF transition THEN allowed := allowed || ARRAY['status', 'submitted_at', 'cancelled_at', 'cancel_reason']; END IF;
  IF (to_jsonb(NEW) - allowed) IS DISTINCT FROM (to_jsonb(OLD) - allowed) THEN
    RAISE EXCEPTION 'a % document cannot be changed; cancel and amend it', OLD.status USING ERRCODE = 'MS001';
  END IF;
  RETURN NEW;
END $$;

-- Child rows follow their parent: TG_ARGV[0] names the parent table.
CREATE OR REPLACE FUNCTION mosaic_guard_document_child() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  parent_status text;
  r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
  EXECUTE format('SELECT status FROM %I WHERE tenant_id = $1 AND id = $2', TG_ARGV[0])
    INTO parent_status USING r.tenant_id, r.parent_id;
  IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
    RAISE EXCEPTION 'the rows of a % document cannot be changed', parent_status USING ERRCODE = 'MS001';
  END IF;
  RETURN r;
END $$;
