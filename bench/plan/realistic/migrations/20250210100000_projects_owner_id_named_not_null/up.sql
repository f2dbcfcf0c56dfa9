-- Production runs PostgreSQL 18 since January. A named NOT NULL constraint (18) keeps the
-- name stable across environments.
ALTER TABLE projects ADD CONSTRAINT projects_owner_id_not_null NOT NULL owner_id;
