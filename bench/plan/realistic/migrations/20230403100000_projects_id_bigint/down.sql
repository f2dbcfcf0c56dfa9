ALTER TABLE projects ALTER COLUMN id TYPE integer;
