20240101120000_init.sql
-- name: MS-CON-09 fail
-- description: VALIDATE in the same transaction as ADD NOT VALID keeps the lock during the scan
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE reviews ADD CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5) NOT VALID;
ALTER TABLE reviews VALIDATE CONSTRAINT reviews_rating_range;
