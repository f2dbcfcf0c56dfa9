SET timezone = 'UTC';
DROP VIEW project_activity;
ALTER TABLE comments ALTER COLUMN created_at TYPE timestamp;
CREATE VIEW project_activity AS
SELECT t.project_id, t.id AS task_id, c.id AS comment_id, c.created_at AS happened_at
FROM tasks t
JOIN comments c ON c.task_id = t.id;
