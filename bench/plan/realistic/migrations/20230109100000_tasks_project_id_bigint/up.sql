-- projects.id is still integer but tasks.project_id goes first (big join table).
ALTER TABLE tasks ALTER COLUMN project_id TYPE bigint;
