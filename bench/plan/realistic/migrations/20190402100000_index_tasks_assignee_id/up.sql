-- "My tasks" page is slow. The table is small, nobody will notice.
CREATE INDEX tasks_assignee_id_idx ON tasks (assignee_id);
