-- projects.id is still integer but tasks.project_id goes first (big join table). The
-- view and the materialized view reading it are recreated around the change.
DROP VIEW project_activity;
DROP MATERIALIZED VIEW account_usage_stats;
ALTER TABLE tasks ALTER COLUMN project_id TYPE bigint;
CREATE VIEW project_activity AS
SELECT t.project_id, t.id AS task_id, c.id AS comment_id, c.created_at AS happened_at, c.author_id
FROM tasks t
JOIN comments c ON c.task_id = t.id;
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
