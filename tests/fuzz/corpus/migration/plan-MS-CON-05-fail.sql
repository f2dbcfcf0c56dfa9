V2__add.sql
-- name: MS-CON-05 fail
-- description: ADD CHECK scans the table under AccessExclusiveLock
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE reviews ADD CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5);
