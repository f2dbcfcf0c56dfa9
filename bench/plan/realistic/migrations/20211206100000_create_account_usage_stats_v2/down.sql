DROP MATERIALIZED VIEW account_usage_stats;
