DROP TRIGGER tasks_bump_task_count ON tasks;
DROP FUNCTION projects_bump_task_count();
