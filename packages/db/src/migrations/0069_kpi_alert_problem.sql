-- What kept the last check of a KPI alert from comparing some rows to the threshold (a
-- measure whose money is in several currencies: no figure to compare), for the admin to
-- see on the alert; NULL when the last check compared every row.
ALTER TABLE kpi_alert ADD COLUMN problem jsonb;
