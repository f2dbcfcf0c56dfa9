DROP INDEX tasks_assignee_id_idx;
