-- comments_author_id_not_null was validated yesterday: SET NOT NULL uses it and skips
-- the scan (PostgreSQL 12+); then the CHECK is redundant.
SET lock_timeout = '3s';
ALTER TABLE comments ALTER COLUMN author_id SET NOT NULL;
ALTER TABLE comments DROP CONSTRAINT comments_author_id_not_null;
