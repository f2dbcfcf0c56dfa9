-- Replace the done flag by a workflow status. The default is a constant: no rewrite.
CREATE TYPE task_status AS ENUM ('open', 'in_progress', 'done');
ALTER TABLE tasks ADD COLUMN status task_status NOT NULL DEFAULT 'open';
