-- Stats were wrong after the Dec 31 outage; refresh with the hotfix deploy.
REFRESH MATERIALIZED VIEW account_usage_stats;
