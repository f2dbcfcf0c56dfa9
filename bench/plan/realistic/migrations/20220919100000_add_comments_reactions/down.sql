ALTER TABLE comments DROP COLUMN reactions;
