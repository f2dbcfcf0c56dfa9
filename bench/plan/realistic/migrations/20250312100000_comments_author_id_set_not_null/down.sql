ALTER TABLE comments ALTER COLUMN author_id DROP NOT NULL;
ALTER TABLE comments ADD CONSTRAINT comments_author_id_not_null CHECK (author_id IS NOT NULL) NOT VALID;
