CREATE OR REPLACE FUNCTION projects_bump_task_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE projects SET task_count = task_count + 1 WHERE id = NEW.project_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE projects SET task_count = task_count - 1 WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_bump_task_count AFTER INSERT OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION projects_bump_task_count();
