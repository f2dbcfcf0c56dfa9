DROP VIEW project_activity;
DROP MATERIALIZED VIEW account_usage_stats;
ALTER TABLE tasks ALTER COLUMN project_id TYPE integer;
CREATE VIEW project_activity AS
SELECT t.project_id, t.id AS task_id, c.id AS comment_id, c.created_at AS happened_at, c.author_id
FROM tasks t
JOIN comments c ON c.task_id = t.id;
