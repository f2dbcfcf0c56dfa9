0003_x.up.sql
-- name: MS-DES-03 pass
-- description: text
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
