DROP INDEX projects_active_idx;
