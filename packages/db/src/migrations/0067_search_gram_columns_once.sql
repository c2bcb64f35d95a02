-- The INSERT branch of the gram trigger read a tenant's searchable columns once per inserted
-- row, not once per statement: the planner pulled the per-tenant subquery up into the join
-- and called mosaic_search_columns (a metadata read) for every row, twice. bench/mrp writes
-- 262,000 suggestions in 10,000-row statements; that alone was 6.6 s of PostgreSQL time at a
-- quarter of its size. A MATERIALIZED CTE computes it once per tenant in the statement.
CREATE OR REPLACE FUNCTION mosaic_search_index() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_gram g USING old_rows o WHERE g.tenant_id = o.tenant_id AND g.object = TG_TABLE_NAME AND g.record_id = o.id;
  ELSE
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
