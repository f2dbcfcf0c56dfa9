0003_x.down.sql
-- name: MS-CON-11 fail
-- description: an inline CHECK on ADD COLUMN scans the table
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE reviews ADD COLUMN stars integer CHECK (stars > 0);
