CREATE INDEX tasks_assignee_id_idx ON tasks (assignee_id);
