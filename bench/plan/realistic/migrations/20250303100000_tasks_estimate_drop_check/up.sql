SET lock_timeout = '3s';
ALTER TABLE tasks DROP CONSTRAINT tasks_estimate_minutes_check;
