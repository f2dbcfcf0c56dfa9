-- name: MS-BRK-03 pass
-- description: renaming a table created in the same migration
-- group: breaking
SET lock_timeout = '2s';
CREATE TABLE practitioners_tmp (id bigint PRIMARY KEY);
ALTER TABLE practitioners_tmp RENAME TO practitioners_new;
