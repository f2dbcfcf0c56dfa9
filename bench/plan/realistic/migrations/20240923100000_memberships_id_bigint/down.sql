ALTER TABLE memberships ALTER COLUMN id TYPE integer;
