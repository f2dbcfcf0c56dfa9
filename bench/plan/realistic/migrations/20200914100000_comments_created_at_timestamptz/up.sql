-- comments.created_at was the only timestamp without time zone. The session time zone
-- is UTC, which is what the column holds: PostgreSQL 12+ converts without a rewrite.
SET lock_timeout = '3s';
SET timezone = 'UTC';
ALTER TABLE comments ALTER COLUMN created_at TYPE timestamptz;
