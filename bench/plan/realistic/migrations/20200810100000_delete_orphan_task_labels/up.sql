-- Bug #812 let a task carry a label of another account. Remove those rows.
DELETE FROM task_labels tl
USING tasks t, projects p, labels l
WHERE tl.task_id = t.id
  AND t.project_id = p.id
  AND tl.label_id = l.id
  AND l.account_id <> p.account_id;
