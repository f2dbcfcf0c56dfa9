SET lock_timeout = '3s';
ALTER TABLE tasks DROP COLUMN created_by_id;
