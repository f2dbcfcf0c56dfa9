0001_create.sql
-- Release 8: ratings move to a wider type. Risky: the type change rewrites the table.
ALTER TABLE reviews ALTER COLUMN rating TYPE integer USING rating::integer;
