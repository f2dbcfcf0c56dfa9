SET timezone = 'UTC';
ALTER TABLE comments ALTER COLUMN created_at TYPE timestamp;
