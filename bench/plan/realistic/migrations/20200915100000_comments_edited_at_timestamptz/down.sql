ALTER TABLE comments ALTER COLUMN edited_at TYPE timestamp;
