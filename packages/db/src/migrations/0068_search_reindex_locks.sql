-- The tenant's grams rebuilt without holding every tenant's writes, and one lock order (ADR 0009,
-- update 0068). 0066's mosaic_search_reindex took `LOCK TABLE … IN SHARE MODE` and only then the
-- advisory lock `mosaic_search_sync:<table>` inside mosaic_search_sync, while a metadata change
-- that calls mosaic_search_sync and then writes the table (addField: sync, then the backfill of a
-- stored formula) takes them the other way round: two tenants doing the two on one shared table
-- deadlocked. And the SHARE lock stopped all tenants' writes to the table until the change committed.
--
-- Now the rebuild takes the sync lock first (through mosaic_search_sync), then an advisory lock of
-- its own tenant and table only: `mosaic_search_reindex:<table>` × hashtext(tenant). The gram
-- triggers take the SHARED form of that lock, per tenant of the rows they index, before they read
-- the metadata, and keep it until their transaction ends. So:
--   - a write of the tenant in flight when the rebuild starts holds the shared lock: the rebuild
--     waits for its commit, and its (READ COMMITTED) statements then see the row;
--   - a write of the tenant that comes during the rebuild waits in its trigger, and reads the
--     metadata after the change committed (each statement of a plpgsql trigger takes a new snapshot);
--   - other tenants' writes take other keys and do not wait;
--   - a write that fired no gram trigger at all: either the table had none — mosaic_search_sync
--     makes them, and CREATE TRIGGER waits for and holds off every write anyway — or the UPDATE
--     changed no watched column, which changes no gram.
-- The key is two int4 (hashtext of the table, of the tenant): its own space beside the one-bigint
-- keys of the other advisory locks.

-- The table's sync lock, by itself: a metadata change that will call mosaic_search_sync or
-- mosaic_search_reindex takes it before it touches the table (ALTER TABLE, CREATE INDEX, UPDATE),
-- so that every metadata change takes this lock before the table's (packages/meta, meta.service.ts).
CREATE OR REPLACE FUNCTION mosaic_search_sync_lock(tbl text) RETURNS void
  LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(hashtext('mosaic_search_sync:' || tbl)) $$;

-- As 0066, the lock through mosaic_search_sync_lock.
CREATE OR REPLACE FUNCTION mosaic_search_sync(tbl text, tenant uuid) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  -- One sync of a table at a time, until its transaction ends: two tenants changing the same shared
  -- table at once would each read the union without the other's uncommitted columns, and the later
  -- one would re-make the triggers without them. The statements below read after the other's commit.
  PERFORM mosaic_search_sync_lock(tbl);
  DELETE FROM search_column WHERE table_name = tbl AND tenant_id = tenant;
  INSERT INTO search_column (tenant_id, table_name, column_name)
    SELECT tenant, tbl, c FROM unnest(mosaic_search_columns(tbl, tenant)) c;
  PERFORM mosaic_search_set_triggers(tbl,
    coalesce((SELECT array_agg(DISTINCT column_name ORDER BY column_name) FROM search_column WHERE table_name = tbl), '{}'));
END $$;

CREATE OR REPLACE FUNCTION mosaic_search_index() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_advisory_xact_lock_shared(hashtext('mosaic_search_reindex:' || TG_TABLE_NAME), hashtext(d.tenant_id::text))
       FROM (SELECT DISTINCT tenant_id FROM old_rows ORDER BY 1) d;
    DELETE FROM search_gram g USING old_rows o WHERE g.tenant_id = o.tenant_id AND g.object = TG_TABLE_NAME AND g.record_id = o.id;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtext('mosaic_search_reindex:' || TG_TABLE_NAME), hashtext(d.tenant_id::text))
       FROM (SELECT DISTINCT tenant_id FROM new_rows ORDER BY 1) d;
    -- A new statement, so a new snapshot: after a wait above it reads the committed metadata.
    WITH c AS MATERIALIZED (
      SELECT d.tenant_id, mosaic_search_columns(TG_TABLE_NAME, d.tenant_id) AS cols FROM (SELECT DISTINCT tenant_id FROM new_rows) d
    )
    INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT n.tenant_id, TG_TABLE_NAME, n.id, g
        FROM c
        JOIN new_rows n ON n.tenant_id = c.tenant_id
        CROSS JOIN LATERAL unnest(mosaic_search_row_grams(to_jsonb(n), c.cols)) g
       WHERE c.cols <> '{}'
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION mosaic_search_index_row() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  cols text[];
  old_g text[];
  new_g text[];
BEGIN
  -- Before the metadata read (0066 read it in DECLARE): see mosaic_search_index.
  PERFORM pg_advisory_xact_lock_shared(hashtext('mosaic_search_reindex:' || TG_TABLE_NAME), hashtext(NEW.tenant_id::text));
  cols := mosaic_search_columns(TG_TABLE_NAME, NEW.tenant_id);
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

-- The tenant's grams of one table, rebuilt: after a field becomes (or stops being) searchable.
-- Locks in this order only: the table's sync lock (mosaic_search_sync), the trigger DDL's table
-- lock when the triggers change, then the tenant's rebuild lock — see the top of this file.
CREATE OR REPLACE FUNCTION mosaic_search_reindex(tbl text, tenant uuid) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  cols text[];
BEGIN
  PERFORM mosaic_search_sync(tbl, tenant);
  PERFORM pg_advisory_xact_lock(hashtext('mosaic_search_reindex:' || tbl), hashtext(tenant::text));
  cols := mosaic_search_columns(tbl, tenant);
  DELETE FROM search_gram WHERE tenant_id = tenant AND object = tbl;
  IF cols = '{}' THEN RETURN; END IF;
  EXECUTE format('INSERT INTO search_gram (tenant_id, object, record_id, gram)
      SELECT t.tenant_id, %L, t.id, g FROM %I t, unnest(mosaic_search_row_grams(to_jsonb(t), %L)) g
       WHERE t.tenant_id = %L ON CONFLICT DO NOTHING', tbl, tbl, cols, tenant);
END $$;
