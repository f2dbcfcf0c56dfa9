20240101120000_init.sql
-- name: MS-CON-01 pass
-- description: UNIQUE USING INDEX an index built concurrently earlier
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE professionals ADD CONSTRAINT professionals_email_key UNIQUE USING INDEX professionals_email_key;
