CREATE INDEX usage_events_metric_idx ON usage_events (metric, recorded_at);
