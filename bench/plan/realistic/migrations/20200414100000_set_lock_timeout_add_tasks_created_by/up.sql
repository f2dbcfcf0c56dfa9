-- After the 2020-04-09 outage (an ALTER queued behind a report): every DDL on a hot
-- table sets a lock_timeout first.
SET lock_timeout = '3s';
ALTER TABLE tasks ADD COLUMN created_by_id integer;
ALTER TABLE tasks ADD CONSTRAINT tasks_created_by_id_fkey
    FOREIGN KEY (created_by_id) REFERENCES users (id) NOT VALID;
