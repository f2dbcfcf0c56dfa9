ALTER TABLE tasks DROP COLUMN completed_at;
