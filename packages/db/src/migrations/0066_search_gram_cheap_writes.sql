-- search_gram on the write path (issues 2 and 8; migration 0065, ADR 0009). Measured on the
-- order-to-cash bench, the gram triggers cost about a fifth of the chain: three statement
-- triggers with transition tables on every object table, each reading meta_field on every
-- write statement, and a per-character plpgsql loop building the grams. Here:
--   1. a table has gram triggers only while some tenant has a searchable field on it
--      (search_column, below, kept by the metadata write path);
--   2. an UPDATE fires them only when a searchable column's value changed: a row trigger
--      `AFTER UPDATE OF <those columns> … WHEN (OLD.c IS DISTINCT FROM NEW.c OR …)` — the WHEN is
--      evaluated by the executor, so a status change or a total's update calls no function and
--      reads no metadata (PostgreSQL allows no column list on a trigger with transition tables);
--   3. the grams are built by one regular expression over the text (runs of CJK / of other
--      characters) and substr windows, the same grams as 0065's loop.

-- The same grams as 0065 (a test compares both on CJK, mixed, punctuation, emoji, empty and long
-- text): a run of CJK characters gives each character and each two neighbours; a run of three or
-- more other characters gives each three neighbours. A window that crosses a run's edge would mix
-- CJK and other characters, which 0065 never made a gram of either.
CREATE OR REPLACE FUNCTION mosaic_search_grams(src text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT x.g ORDER BY x.g), '{}')
    FROM regexp_matches(lower(src),
           '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+)|([^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{3,})', 'g') AS m,
         LATERAL (SELECT substr(m[1], i, 1) FROM generate_series(1, char_length(m[1])) i
                  UNION ALL SELECT substr(m[1], i, 2) FROM generate_series(1, char_length(m[1]) - 1) i
                  UNION ALL SELECT substr(m[2], i, 3) FROM generate_series(1, char_length(m[2]) - 2) i) AS x(g)
$$;

-- Which columns of a shared table some tenant keeps grams of. Tables are shared by tenants and
-- the flag is per tenant; the triggers must cover every tenant's searchable columns, and the
-- metadata path (one tenant set, RLS on meta_field) cannot see the others'. Column names only;
-- the application role has no access (the metadata path runs as the owner).
-- tenant_id leads the key as on every tenant table (the Citus rule, citus-readiness test).
CREATE TABLE search_column (
  tenant_id uuid NOT NULL,
  table_name text NOT NULL,
  column_name text NOT NULL,
  PRIMARY KEY (tenant_id, table_name, column_name)
);
CREATE INDEX search_column_table_idx ON search_column (table_name);
REVOKE ALL ON search_column FROM mosaic_app;

-- INSERT and DELETE: statement triggers with transition tables, as in 0065 (a bulk insert reads
-- the metadata once per tenant in it and writes its grams in one statement).
CREATE OR REPLACE FUNCTION mosaic_search_index() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_gram g USING old_rows o WHERE g.tenant_id = o.tenant_id AND g.object = TG_TABLE_NAME AND g.record_id = o.id;
  ELSE
    INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT n.tenant_id, TG_TABLE_NAME, n.id, g
        FROM (SELECT d.tenant_id, mosaic_search_columns(TG_TABLE_NAME, d.tenant_id) AS cols FROM (SELECT DISTINCT tenant_id FROM new_rows) d) c
        JOIN new_rows n ON n.tenant_id = c.tenant_id
        CROSS JOIN LATERAL unnest(mosaic_search_row_grams(to_jsonb(n), c.cols)) g
       WHERE c.cols <> '{}'
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- UPDATE: one row whose searchable column (of some tenant) changed value — the trigger's WHEN
-- already said so. Only the grams that differ are deleted and inserted.
CREATE OR REPLACE FUNCTION mosaic_search_index_row() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  cols text[] := mosaic_search_columns(TG_TABLE_NAME, NEW.tenant_id);
  old_g text[];
  new_g text[];
BEGIN
  IF cols = '{}' THEN RETURN NULL; END IF; -- another tenant's searchable column
  old_g := mosaic_search_row_grams(to_jsonb(OLD), cols);
  new_g := mosaic_search_row_grams(to_jsonb(NEW), cols);
  IF old_g = new_g THEN RETURN NULL; END IF;
  DELETE FROM search_gram WHERE tenant_id = NEW.tenant_id AND object = TG_TABLE_NAME AND record_id = NEW.id AND gram <> ALL (new_g);
  INSERT INTO search_gram (tenant_id, object, record_id, gram)
    SELECT NEW.tenant_id, TG_TABLE_NAME, NEW.id, g FROM unnest(new_g) g WHERE g <> ALL (old_g)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- The columns the table's UPDATE trigger watches now ('{}' when it has none).
CREATE OR REPLACE FUNCTION mosaic_search_trigger_columns(tbl text) RETURNS text[]
  LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT array_agg(a.attname::text ORDER BY a.attname)
      FROM pg_trigger t JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr)
     WHERE t.tgrelid = to_regclass(tbl) AND t.tgname = left(tbl, 44) || '_search_upd'), '{}')
$$;

-- Makes the table's gram triggers watch exactly `cols` (none: no triggers). DDL only when that
-- differs from what is there. left(…, 44): the names stay under PostgreSQL's 63-byte limit.
CREATE OR REPLACE FUNCTION mosaic_search_set_triggers(tbl text, cols text[]) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  base text := left(tbl, 44) || '_search';
  changed text;
BEGIN
  IF mosaic_search_trigger_columns(tbl) = cols
     AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl::regclass AND tgname = base || '_ins') = (cols <> '{}') THEN
    RETURN;
  END IF;
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_ins', tbl);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_upd', tbl);
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', base || '_del', tbl);
  IF cols = '{}' THEN RETURN; END IF;
  SELECT string_agg(format('OLD.%1$I IS DISTINCT FROM NEW.%1$I', c), ' OR ') INTO changed FROM unnest(cols) c;
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mosaic_search_index()', base || '_ins', tbl);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OF %s ON %I FOR EACH ROW WHEN (%s) EXECUTE FUNCTION mosaic_search_index_row()',
    base || '_upd', (SELECT string_agg(format('%I', c), ', ') FROM unnest(cols) c), tbl, changed);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mosaic_search_index()', base || '_del', tbl);
END $$;

-- After a tenant's searchable fields of a table changed (in the metadata change's transaction,
-- as the owner with the tenant set): its row in search_column, then the triggers for all tenants.
CREATE OR REPLACE FUNCTION mosaic_search_sync(tbl text, tenant uuid) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  -- One sync of a table at a time, until its transaction ends: two tenants changing the same shared
  -- table at once would each read the union without the other's uncommitted columns, and the later
  -- one would re-make the triggers without them. The statements below read after the other's commit.
  PERFORM pg_advisory_xact_lock(hashtext('mosaic_search_sync:' || tbl));
  DELETE FROM search_column WHERE table_name = tbl AND tenant_id = tenant;
  INSERT INTO search_column (tenant_id, table_name, column_name)
    SELECT tenant, tbl, c FROM unnest(mosaic_search_columns(tbl, tenant)) c;
  PERFORM mosaic_search_set_triggers(tbl,
    coalesce((SELECT array_agg(DISTINCT column_name ORDER BY column_name) FROM search_column WHERE table_name = tbl), '{}'));
END $$;

-- The tenant's grams of one table, rebuilt: after a field becomes (or stops being) searchable.
-- SHARE mode first: writes to the table wait until the metadata change commits. Without it a
-- write committed during the rebuild is missed twice — its trigger read the metadata before the
-- change (no grams), the rebuild's snapshot does not hold the row (no grams either).
CREATE OR REPLACE FUNCTION mosaic_search_reindex(tbl text, tenant uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  cols text[];
BEGIN
  EXECUTE format('LOCK TABLE %I IN SHARE MODE', tbl);
  PERFORM mosaic_search_sync(tbl, tenant);
  cols := mosaic_search_columns(tbl, tenant);
  DELETE FROM search_gram WHERE tenant_id = tenant AND object = tbl;
  IF cols = '{}' THEN RETURN; END IF;
  EXECUTE format('INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT t.tenant_id, %L, t.id, g FROM %I t, unnest(mosaic_search_row_grams(to_jsonb(t), %L)) g
       WHERE t.tenant_id = %L ON CONFLICT DO NOTHING', tbl, tbl, cols, tenant);
END $$;

DROP FUNCTION mosaic_search_attach(text);

-- The tables that exist: every tenant's searchable columns (the owner reads all tenants'
-- metadata for this one statement: FORCE is lifted and restored inside this transaction), then
-- 0065's three statement triggers replaced by the new ones — none where no tenant searches.
ALTER TABLE meta_field NO FORCE ROW LEVEL SECURITY;
ALTER TABLE meta_object NO FORCE ROW LEVEL SECURITY;
INSERT INTO search_column (tenant_id, table_name, column_name)
  SELECT DISTINCT f.tenant_id, o.table_name, f.column_name
    FROM meta_field f JOIN meta_object o ON o.tenant_id = f.tenant_id AND o.id = f.object_id
   WHERE NOT f.archived AND f.column_name IS NOT NULL AND (f.config->>'searchable')::boolean IS TRUE AND to_regclass(o.table_name) IS NOT NULL;
ALTER TABLE meta_field FORCE ROW LEVEL SECURITY;
ALTER TABLE meta_object FORCE ROW LEVEL SECURITY;

SELECT mosaic_search_set_triggers(p.table_name,
    coalesce((SELECT array_agg(DISTINCT s.column_name ORDER BY s.column_name) FROM search_column s WHERE s.table_name = p.table_name), '{}'))
  FROM physical_name p
 WHERE p.column_name = '' AND p.sql_type LIKE 'object:%' AND to_regclass(p.table_name) IS NOT NULL;
