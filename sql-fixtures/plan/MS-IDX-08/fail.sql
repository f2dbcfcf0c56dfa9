-- name: MS-IDX-08 fail
-- description: a unique index on existing rows fails on duplicates
-- group: indexes
-- migsafe:no-transaction
SET lock_timeout = '2s';
CREATE UNIQUE INDEX CONCURRENTLY professionals_email_key ON professionals (email);
