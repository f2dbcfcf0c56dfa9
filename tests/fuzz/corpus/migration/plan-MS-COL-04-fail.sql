0003_x.up.sql
-- name: MS-COL-04 fail
-- description: before PostgreSQL 11 any default rewrites the table
-- group: columns
-- pg-version: 10
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN active boolean DEFAULT true;
