20240101120000_init.sql
-- name: MS-COL-02 pass
-- description: a constant default (no rewrite since PostgreSQL 11)
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN licence_no text NOT NULL DEFAULT '';
