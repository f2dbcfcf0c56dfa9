DROP INDEX usage_events_metric_idx;
