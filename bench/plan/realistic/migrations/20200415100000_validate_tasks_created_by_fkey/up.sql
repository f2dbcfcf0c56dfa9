SET lock_timeout = '3s';
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_created_by_id_fkey;
