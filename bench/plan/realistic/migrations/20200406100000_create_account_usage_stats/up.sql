-- Admin dashboard numbers, refreshed by a cron job.
CREATE MATERIALIZED VIEW account_usage_stats AS
SELECT a.id AS account_id,
       count(DISTINCT p.id) AS projects,
       count(t.id) AS tasks,
       max(t.updated_at) AS last_activity_at
FROM accounts a
LEFT JOIN projects p ON p.account_id = a.id
LEFT JOIN tasks t ON t.project_id = p.id
GROUP BY a.id;
CREATE UNIQUE INDEX account_usage_stats_account_id_key ON account_usage_stats (account_id);
