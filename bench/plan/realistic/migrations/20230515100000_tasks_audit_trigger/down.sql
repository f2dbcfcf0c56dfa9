DROP TRIGGER tasks_audit ON tasks;
