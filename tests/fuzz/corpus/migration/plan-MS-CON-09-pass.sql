0001_create.sql
-- name: MS-CON-09 pass
-- description: VALIDATE alone, in a later migration
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE reviews VALIDATE CONSTRAINT reviews_rating_range;
