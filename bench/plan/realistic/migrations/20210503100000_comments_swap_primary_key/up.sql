-- Contract: the bigint column becomes the key. All short catalog changes, under one
-- lock_timeout; the unique index was built concurrently last week.
SET lock_timeout = '3s';
ALTER TABLE comments ADD CONSTRAINT comments_id_big_not_null CHECK (id_big IS NOT NULL) NOT VALID;
