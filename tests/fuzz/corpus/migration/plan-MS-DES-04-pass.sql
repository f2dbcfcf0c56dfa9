20240101120000_init.sql
-- name: MS-DES-04 pass
-- description: timestamptz
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, created_at timestamptz);
