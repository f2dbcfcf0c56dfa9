20240101120000_init.sql
-- name: MS-CON-11 pass
-- description: add the column plain, then the CHECK NOT VALID
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE reviews ADD COLUMN stars integer,
    ADD CONSTRAINT reviews_stars_check CHECK (stars > 0) NOT VALID;
