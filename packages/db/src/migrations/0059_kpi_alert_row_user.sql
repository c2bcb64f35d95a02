-- A KPI alert may also notify the user a row names: the first of these row
-- dimensions that holds a user id (a project's manager, else its owner), so an
-- alert checked row by row reaches whoever answers for that row.
ALTER TABLE kpi_alert ADD COLUMN notify_row_users text[] NOT NULL DEFAULT '{}';
-- Alerts a module installs carry the module's key: a restart finds them (and
-- leaves an admin's edits alone) instead of adding another.
ALTER TABLE kpi_alert ADD COLUMN install_key text;
CREATE UNIQUE INDEX kpi_alert_install_key_idx ON kpi_alert (tenant_id, install_key) WHERE install_key IS NOT NULL;
