-- The currency a KPI alert's threshold on a money measure is in ("应收逾期 > US$100,000"): a row in another
-- currency is neither raised nor cleared (kpi_alert.problem says why) — no conversion at a rate, so an alert
-- never fires because a rate moved. NULL: the tenant's default company's currency (what every alert meant
-- before, so they keep working unchanged for a one-currency tenant), and always NULL on a measure that is
-- not money. alert_event keeps the currency the threshold of each raise and clear was in.
ALTER TABLE kpi_alert ADD COLUMN threshold_currency text CHECK (threshold_currency ~ '^[A-Z]{3}$');
ALTER TABLE alert_event ADD COLUMN threshold_currency text;
