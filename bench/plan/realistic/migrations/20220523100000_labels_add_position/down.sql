ALTER TABLE labels DROP COLUMN position;
