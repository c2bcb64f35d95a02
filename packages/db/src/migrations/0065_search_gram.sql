-- Text search under row-level security (ADR 0009, "What is left": the n-gram token table).
-- ILIKE '%q%' is not leakproof, so under RLS no index serves it (a pg_trgm GIN index is not used
-- either): every `contains` scanned the tenant's whole table. Here each record of an object keeps
-- the n-grams of its searchable fields (meta_field.config.searchable) as rows, searched by
-- equality — leakproof, so a btree serves it under RLS. A search takes the records that have ALL
-- the query's grams, then rechecks the ILIKE on those few.
--
-- Grams (mosaic_search_grams), from lower(text), each a window over neighbouring characters:
--   - a CJK character (汉字, kana, hangul) alone, and two neighbouring CJK characters;
--   - three neighbouring characters none of which is CJK (Latin, digits, punctuation, spaces).
-- Every rule looks only at the characters inside its window, so every gram of a query is a gram
-- of any text that contains the query: the candidates are never fewer than the ILIKE matches.
-- ILIKE in a UTF-8 database compares lower(pattern) with lower(text) — the same lower() as here.
-- A query with no gram (one or two Latin characters) is not served: the caller keeps the scan.
CREATE OR REPLACE FUNCTION mosaic_search_grams(src text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  c text[] := regexp_split_to_array(lower(src), '');
  n int := coalesce(array_length(c, 1), 0);
  cjk boolean[];
  out text[] := '{}';
BEGIN
  IF n = 0 THEN RETURN out; END IF;
  FOR i IN 1..n LOOP
    cjk[i] := c[i] ~ '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]';
  END LOOP;
  FOR i IN 1..n LOOP
    IF cjk[i] THEN
      out := out || c[i];
      IF i < n AND cjk[i + 1] THEN out := out || (c[i] || c[i + 1]); END IF;
    ELSIF i + 2 <= n AND NOT cjk[i + 1] AND NOT cjk[i + 2] THEN
      out := out || (c[i] || c[i + 1] || c[i + 2]);
    END IF;
  END LOOP;
  RETURN ARRAY(SELECT DISTINCT g FROM unnest(out) g ORDER BY g);
END $$;

-- One row per (record, gram): the primary key checks "this record has that gram" (the
-- intersection), the second index lists the records of a gram (the candidates).
CREATE TABLE search_gram (
  tenant_id uuid NOT NULL,
  object text NOT NULL, -- the object's table name (physical, shared by tenants like the table)
  record_id uuid NOT NULL,
  gram text NOT NULL,
  PRIMARY KEY (tenant_id, object, record_id, gram)
);
CREATE INDEX search_gram_gram_idx ON search_gram (tenant_id, object, gram, record_id);
SELECT mosaic_enable_rls('search_gram');

-- The searchable columns of a table for a tenant (its own metadata: tables are shared).
CREATE OR REPLACE FUNCTION mosaic_search_columns(tbl text, tenant uuid) RETURNS text[]
  LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(f.column_name::text ORDER BY f.column_name), '{}')
    FROM meta_field f JOIN meta_object o ON o.tenant_id = f.tenant_id AND o.id = f.object_id
   WHERE o.tenant_id = tenant AND o.table_name = tbl AND NOT f.archived AND f.column_name IS NOT NULL
     AND (f.config->>'searchable')::boolean IS TRUE
$$;

-- The grams of a row (as jsonb) over the given columns, distinct and sorted.
CREATE OR REPLACE FUNCTION mosaic_search_row_grams(r jsonb, cols text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}') FROM unnest(cols) c, unnest(mosaic_search_grams(r ->> c)) g
$$;

-- Keeps search_gram right on every path that writes a record (API, import, rules, SQL): three
-- statement-level triggers with transition tables, so a bulk insert of 1,000 rows reads the
-- metadata once per tenant in it, not once per row, and writes its grams in one statement.
-- Runs as the writer: with the tenant set, RLS lets it see the tenant's metadata and write the
-- tenant's grams; a writer with no tenant sees no searchable column and writes nothing.
CREATE OR REPLACE FUNCTION mosaic_search_index() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_gram g USING old_rows o WHERE g.tenant_id = o.tenant_id AND g.object = TG_TABLE_NAME AND g.record_id = o.id;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT n.tenant_id, TG_TABLE_NAME, n.id, g
        FROM (SELECT d.tenant_id, mosaic_search_columns(TG_TABLE_NAME, d.tenant_id) AS cols FROM (SELECT DISTINCT tenant_id FROM new_rows) d) c
        JOIN new_rows n ON n.tenant_id = c.tenant_id
        CROSS JOIN LATERAL unnest(mosaic_search_row_grams(to_jsonb(n), c.cols)) g
       WHERE c.cols <> '{}'
      ON CONFLICT DO NOTHING;
  ELSE
    -- Only rows whose searchable columns changed (most updates change none); of those, only the
    -- grams that differ are deleted and inserted (disjoint sets, so one statement does both).
    WITH c AS (
      SELECT d.tenant_id, mosaic_search_columns(TG_TABLE_NAME, d.tenant_id) AS cols FROM (SELECT DISTINCT tenant_id FROM new_rows) d
    ), changed AS (
      SELECT n.tenant_id, n.id, mosaic_search_row_grams(to_jsonb(o), c.cols) AS old_g, mosaic_search_row_grams(to_jsonb(n), c.cols) AS new_g
        FROM c JOIN new_rows n ON n.tenant_id = c.tenant_id JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
       WHERE c.cols <> '{}' AND EXISTS (SELECT 1 FROM unnest(c.cols) k WHERE (to_jsonb(o) ->> k) IS DISTINCT FROM (to_jsonb(n) ->> k))
    ), gone AS (
      DELETE FROM search_gram g USING changed x
       WHERE g.tenant_id = x.tenant_id AND g.object = TG_TABLE_NAME AND g.record_id = x.id AND g.gram <> ALL (x.new_g)
    )
    INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT x.tenant_id, TG_TABLE_NAME, x.id, g FROM changed x CROSS JOIN LATERAL unnest(x.new_g) g WHERE g <> ALL (x.old_g)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- The tenant's grams of one table, rebuilt: after a field becomes (or stops being) searchable.
CREATE OR REPLACE FUNCTION mosaic_search_reindex(tbl text, tenant uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  cols text[] := mosaic_search_columns(tbl, tenant);
BEGIN
  DELETE FROM search_gram WHERE tenant_id = tenant AND object = tbl;
  IF cols = '{}' THEN RETURN; END IF;
  EXECUTE format('INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT t.tenant_id, %L, t.id, g FROM %I t, unnest(mosaic_search_row_grams(to_jsonb(t), %L)) g
       WHERE t.tenant_id = %L ON CONFLICT DO NOTHING', tbl, tbl, cols, tenant);
END $$;

-- The triggers on an object table (not child tables: their rows are not searched on their own).
-- left(…, 44): the names stay under PostgreSQL's 63-byte limit, so the check finds them again.
CREATE OR REPLACE FUNCTION mosaic_search_attach(tbl text) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  base text := left(tbl, 44) || '_search';
BEGIN
  IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tbl::regclass AND tgname = base || '_ins') THEN RETURN; END IF;
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mosaic_search_index()', base || '_ins', tbl);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mosaic_search_index()', base || '_upd', tbl);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mosaic_search_index()', base || '_del', tbl);
END $$;

SELECT mosaic_search_attach(table_name) FROM physical_name
 WHERE column_name = '' AND sql_type LIKE 'object:%' AND to_regclass(table_name) IS NOT NULL;
