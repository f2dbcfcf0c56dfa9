-- Comments always have an author now (deleted users are soft-deleted).
SET lock_timeout = '3s';
ALTER TABLE comments ADD CONSTRAINT comments_author_id_not_null CHECK (author_id IS NOT NULL) NOT VALID;
