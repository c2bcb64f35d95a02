-- Cross-process cache barrier (ADR 0012). Every LISTEN connection of every
-- process has a row here, keyed by its backend pid; when it hears
-- 'barrier:<n>' on a channel it has already dropped whatever the notifications
-- before it told it to drop (same connection, commit order), so it records n.
-- A request that revoked something sends a barrier after its commit and waits
-- until every live listener of the channel has recorded it. A listener is live
-- while PostgreSQL still has its connection (pg_stat_activity): a dead process's
-- row is ignored at once and deleted by the next listener that connects.
-- Not tenant data (no tenant_id, no RLS): pids and sequence numbers only.
CREATE TABLE cache_listener (
  pid integer PRIMARY KEY,
  channels text[] NOT NULL,
  acked bigint NOT NULL DEFAULT 0,
  connected_at timestamptz NOT NULL DEFAULT now(),
  acked_at timestamptz
);
CREATE SEQUENCE cache_barrier_seq;
