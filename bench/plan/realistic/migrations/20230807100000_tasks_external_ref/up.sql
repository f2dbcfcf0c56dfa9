ALTER TABLE tasks ADD COLUMN external_ref text;
