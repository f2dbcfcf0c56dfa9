ALTER TABLE projects DROP COLUMN archived_at;
