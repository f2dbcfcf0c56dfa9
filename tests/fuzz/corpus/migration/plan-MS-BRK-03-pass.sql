0001_create.sql
-- name: MS-BRK-03 pass
-- description: rename and keep the old name as a view in the same transaction
-- group: breaking
SET lock_timeout = '2s';
ALTER TABLE professionals RENAME TO practitioners;
CREATE VIEW professionals AS SELECT * FROM practitioners;
