DELETE FROM account_usage_daily WHERE day < '2024-07-01';
