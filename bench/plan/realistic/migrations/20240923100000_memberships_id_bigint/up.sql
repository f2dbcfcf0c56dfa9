ALTER TABLE memberships ALTER COLUMN id TYPE bigint;
