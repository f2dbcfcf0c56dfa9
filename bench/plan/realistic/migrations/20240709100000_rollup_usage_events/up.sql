-- Roll up everything before July into the daily table; raw events are then deleted in
-- batches by the retention job.
INSERT INTO account_usage_daily (account_id, day, metric, quantity)
SELECT account_id, recorded_at::date, metric, sum(quantity)
FROM usage_events
WHERE recorded_at < '2024-07-01'
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;
