0003_x.up.sql
-- name: MS-CON-03 fail
-- description: PRIMARY KEY USING INDEX on a nullable column scans to set NOT NULL
-- group: constraints
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE professionals ADD COLUMN licence_no text;
CREATE UNIQUE INDEX CONCURRENTLY professionals_licence_no_key ON professionals (licence_no);
ALTER TABLE professionals ADD CONSTRAINT professionals_pkey PRIMARY KEY USING INDEX professionals_licence_no_key;
