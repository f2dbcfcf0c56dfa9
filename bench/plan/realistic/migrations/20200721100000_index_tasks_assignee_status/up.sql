-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY tasks_assignee_id_status_idx ON tasks (assignee_id, status);
