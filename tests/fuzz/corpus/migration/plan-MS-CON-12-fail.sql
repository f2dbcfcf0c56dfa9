0001_create.sql
-- name: MS-CON-12 fail
-- description: ALTER DOMAIN ADD CHECK scans every table using the domain
-- group: constraints
SET lock_timeout = '2s';
ALTER DOMAIN rating ADD CONSTRAINT rating_positive CHECK (VALUE > 0);
