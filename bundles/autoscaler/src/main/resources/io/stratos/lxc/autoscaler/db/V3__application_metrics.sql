-- Application metrics: the "custom" target names a metric the processes serve, and how their values are aggregated
-- (avg, max, sum); both null for the built-in metrics.
ALTER TABLE autoscale_policy_metrics ADD COLUMN metric_name VARCHAR(128);
ALTER TABLE autoscale_policy_metrics ADD COLUMN aggregate VARCHAR(8);
