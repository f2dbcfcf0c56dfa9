0001_create.sql
-- name: MS-OPS-08 pass
-- description: row level security on a table created in the same migration
-- group: operations
SET lock_timeout = '2s';
CREATE TABLE messages (id bigint PRIMARY KEY, body text);
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
