-- The last integer key in the hot path. Planned maintenance window: 02:00 UTC.
SET lock_timeout = '10s';
SET statement_timeout = '15min';
-- account_usage_stats reads projects.id: drop it, recreate it after.
DROP MATERIALIZED VIEW account_usage_stats;
ALTER TABLE projects ALTER COLUMN id TYPE bigint;
CREATE MATERIALIZED VIEW account_usage_stats AS
SELECT a.id AS account_id,
       count(DISTINCT p.id) AS projects,
       count(DISTINCT t.id) AS tasks,
       count(c.id) AS comments,
       max(t.updated_at) AS last_activity_at
FROM accounts a
LEFT JOIN projects p ON p.account_id = a.id
LEFT JOIN tasks t ON t.project_id = p.id
LEFT JOIN comments c ON c.task_id = t.id
GROUP BY a.id;
CREATE UNIQUE INDEX account_usage_stats_account_id_key ON account_usage_stats (account_id);
