0003_x.up.sql
-- name: MS-DES-01 fail
-- description: a 32-bit key
-- group: design
-- design-lints: on
CREATE TABLE tags (id integer PRIMARY KEY, name text);
