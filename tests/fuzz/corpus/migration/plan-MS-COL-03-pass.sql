V2__add.sql
-- name: MS-COL-03 pass
-- description: add the column nullable, then set the default for new rows
-- group: columns
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN public_id uuid;
ALTER TABLE professionals ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
