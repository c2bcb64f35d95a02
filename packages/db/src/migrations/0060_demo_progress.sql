-- The demo history generator's progress (apps/server/src/demo, issue 6 §7):
-- one run per tenant, its options, a snapshot after every finished month, and
-- the replies of the steps of the month under way — so an interrupted seed
-- resumes after its last finished month and replays the half-done one
-- without writing anything twice.
CREATE TABLE demo_seed_step (
  tenant_id uuid NOT NULL,
  key text NOT NULL,        -- 'run', 'master', 'month:2026-08', 'step:2026-09:17', 'done'
  value jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
SELECT mosaic_enable_rls('demo_seed_step');
