CREATE MATERIALIZED VIEW weekly_completed_tasks AS
SELECT p.account_id, date_trunc('week', t.completed_at) AS week, count(*) AS completed
FROM tasks t
JOIN projects p ON p.id = t.project_id
WHERE t.completed_at IS NOT NULL
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX weekly_completed_tasks_key ON weekly_completed_tasks (account_id, week);
