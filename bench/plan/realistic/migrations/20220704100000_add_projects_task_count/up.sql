-- Counter cache for the project list.
ALTER TABLE projects ADD COLUMN task_count integer NOT NULL DEFAULT 0;
UPDATE projects p
SET task_count = sub.n
FROM (SELECT project_id, count(*) AS n FROM tasks GROUP BY project_id) sub
WHERE sub.project_id = p.id;
