0003_x.up.sql
-- name: MS-COL-01 pass
-- description: a validated CHECK (city IS NOT NULL) first, each step its own transaction
-- group: columns
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE professionals ADD CONSTRAINT professionals_city_not_null CHECK (city IS NOT NULL) NOT VALID;
ALTER TABLE professionals VALIDATE CONSTRAINT professionals_city_not_null;
ALTER TABLE professionals ALTER COLUMN city SET NOT NULL;
