0003_x.down.sql
-- name: MS-CON-03 pass
-- description: the column is NOT NULL before the primary key is added
-- group: constraints
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN licence_no text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX CONCURRENTLY professionals_licence_no_key ON professionals (licence_no);
ALTER TABLE professionals ADD CONSTRAINT professionals_pkey PRIMARY KEY USING INDEX professionals_licence_no_key;
