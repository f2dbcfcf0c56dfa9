-- Replaced by task_events.
DROP VIEW project_activity;
