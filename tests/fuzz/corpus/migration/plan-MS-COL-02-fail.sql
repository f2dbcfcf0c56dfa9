0003_x.down.sql
-- name: MS-COL-02 fail
-- description: ADD COLUMN NOT NULL without a default fails on a non-empty table
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN licence_no text NOT NULL;
