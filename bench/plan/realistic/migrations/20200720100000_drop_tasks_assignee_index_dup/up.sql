-- tasks_assignee_id_idx is covered by the new composite index below; drop the old one.
DROP INDEX tasks_assignee_id_idx;
