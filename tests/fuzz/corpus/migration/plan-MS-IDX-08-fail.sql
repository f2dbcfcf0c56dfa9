0003_x.up.sql
-- name: MS-IDX-08 fail
-- description: a unique index on existing rows fails on duplicates
-- group: indexes
-- migsafe:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY professionals_email_key ON professionals (email);
