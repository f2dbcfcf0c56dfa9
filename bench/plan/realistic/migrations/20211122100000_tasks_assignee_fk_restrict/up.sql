-- Replace ON DELETE SET NULL by RESTRICT: users are soft-deleted now.
SET lock_timeout = '3s';
ALTER TABLE tasks DROP CONSTRAINT tasks_assignee_id_fkey;
ALTER TABLE tasks ADD CONSTRAINT tasks_assignee_id_fkey
    FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE RESTRICT;
