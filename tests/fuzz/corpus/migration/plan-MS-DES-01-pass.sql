0003_x.down.sql
-- name: MS-DES-01 pass
-- description: a bigint key
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
