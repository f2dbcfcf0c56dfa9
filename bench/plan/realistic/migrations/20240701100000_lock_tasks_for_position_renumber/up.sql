-- Renumber positions per project. LOCK first so that no insert races the renumbering.
LOCK TABLE tasks IN SHARE ROW EXCLUSIVE MODE;
UPDATE tasks t
SET position = r.rn
FROM (SELECT id, row_number() OVER (PARTITION BY project_id ORDER BY position, id) AS rn FROM tasks) r
WHERE r.id = t.id;
