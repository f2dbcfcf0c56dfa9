-- comments.created_at was the only timestamp without time zone. The session time zone
-- is UTC, which is what the column holds: PostgreSQL 12+ converts without a rewrite.
SET lock_timeout = '3s';
SET timezone = 'UTC';
-- project_activity reads created_at: recreate it around the change.
DROP VIEW project_activity;
ALTER TABLE comments ALTER COLUMN created_at TYPE timestamptz;
CREATE VIEW project_activity AS
SELECT t.project_id, t.id AS task_id, c.id AS comment_id, c.created_at AS happened_at
FROM tasks t
JOIN comments c ON c.task_id = t.id;
