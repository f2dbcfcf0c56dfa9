CREATE VIEW task_events AS
SELECT e.subject_id AS task_id, e.actor_id, e.action, e.occurred_at
FROM audit_events e
WHERE e.subject_type = 'tasks';
