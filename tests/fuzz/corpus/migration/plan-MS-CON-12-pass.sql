V2__add.sql
-- name: MS-CON-12 pass
-- description: ALTER DOMAIN ADD CHECK NOT VALID
-- group: constraints
SET lock_timeout = '2s';
ALTER DOMAIN rating ADD CONSTRAINT rating_positive CHECK (VALUE > 0) NOT VALID;
