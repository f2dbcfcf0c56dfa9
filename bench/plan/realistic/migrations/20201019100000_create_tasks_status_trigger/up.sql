-- completed_at follows status from now on.
CREATE OR REPLACE FUNCTION tasks_track_completion() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done' THEN
        NEW.completed_at := now();
    ELSIF NEW.status <> 'done' THEN
        NEW.completed_at := NULL;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER tasks_track_completion BEFORE UPDATE OF status ON tasks
    FOR EACH ROW EXECUTE FUNCTION tasks_track_completion();
