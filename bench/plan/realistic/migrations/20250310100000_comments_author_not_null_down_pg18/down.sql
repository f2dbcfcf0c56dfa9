ALTER TABLE comments DROP CONSTRAINT comments_author_id_not_null;
-- restore the named NOT NULL the previous release had on staging (PostgreSQL 18)
ALTER TABLE comments ADD CONSTRAINT comments_author_id_nn NOT NULL author_id NOT VALID;
