0003_x.up.sql
-- name: MS-CON-05 pass
-- description: ADD CHECK NOT VALID (VALIDATE comes in a later migration)
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE reviews ADD CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5) NOT VALID;
