ALTER TABLE tasks DROP COLUMN external_ref;
