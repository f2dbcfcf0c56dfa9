DROP TRIGGER tasks_track_completion ON tasks;
DROP FUNCTION tasks_track_completion();
