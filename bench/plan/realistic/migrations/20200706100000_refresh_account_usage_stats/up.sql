-- The stats view missed archived projects' tasks; recompute it with the deploy.
REFRESH MATERIALIZED VIEW account_usage_stats;
