DROP TABLE account_usage_daily;
