-- A record change's change set ({ field: [old, new] }) is stored once, in its audit
-- entry; the outbox event points at it (ADR 0010). outbox_event.changes stays for
-- events written before this migration and for events that have no audit entry.
-- No foreign key: the audit row is written by the same statement, audit_log is
-- append-only (the app role cannot delete), and a key check per event is the very
-- cost this saves.
ALTER TABLE outbox_event ADD COLUMN audit_id bigint;
