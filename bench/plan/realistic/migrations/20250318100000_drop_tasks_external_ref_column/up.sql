SET lock_timeout = '3s';
ALTER TABLE tasks DROP COLUMN external_ref;
