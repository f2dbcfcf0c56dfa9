-- Titles longer than 200 characters come from the importer. varchar -> text needs no rewrite.
ALTER TABLE tasks ALTER COLUMN title TYPE text;
