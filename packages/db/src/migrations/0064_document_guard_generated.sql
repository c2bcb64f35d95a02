-- The submitted-document guard (0030) compared whole rows, generated columns included.
-- An indexed decimal, money or percent field keeps a stored generated range key
-- (`<column>__k`, ADR 0011); in a BEFORE UPDATE trigger NEW carries NULL for it, so
-- every update of a submitted document with such a field — an "editable after submit"
-- field, a cancel — was refused as a change. Generated columns are now left out of the
-- comparison: they cannot differ unless a column they come from does.
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
  -- Generated columns (an indexed number's range key, ADR 0011) follow the columns they
  -- are computed from, and in a BEFORE trigger NEW holds NULL for them: compare the rest.
  allowed := allowed || ARRAY(SELECT a.attname::text FROM pg_attribute a
    WHERE a.attrelid = TG_RELID AND a.attgenerated <> '' AND NOT a.attisdropped);
  IF transition THEN allowed := allowed || ARRAY['status', 'submitted_at', 'cancelled_at', 'cancel_reason']; END IF;
  IF (to_jsonb(NEW) - allowed) IS DISTINCT FROM (to_jsonb(OLD) - allowed) THEN
    RAISE EXCEPTION 'a % document cannot be changed; cancel and amend it', OLD.status USING ERRCODE = 'MS001';
  END IF;
  RETURN NEW;
END $$;
