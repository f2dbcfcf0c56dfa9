0003_x.down.sql
-- name: MS-IDX-08 pass
-- description: a unique index on a table created in the same migration
-- group: indexes
SET lock_timeout = '2s';
CREATE TABLE clinics_v2 (id bigint PRIMARY KEY, email text);
CREATE UNIQUE INDEX clinics_v2_email_key ON clinics_v2 (email);
