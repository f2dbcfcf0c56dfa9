0003_x.down.sql
-- name: MS-MAINT-03 fail
-- description: SET LOGGED rewrites the table
-- group: maintenance
SET lock_timeout = '2s';
ALTER TABLE audit_log SET LOGGED;
