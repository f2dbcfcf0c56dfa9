0003_x.down.sql
-- name: MS-CON-01 fail
-- description: ADD UNIQUE builds the index under AccessExclusiveLock
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE professionals ADD CONSTRAINT professionals_email_key UNIQUE (email);
