-- The right way, from now on.
REFRESH MATERIALIZED VIEW CONCURRENTLY account_usage_stats;
