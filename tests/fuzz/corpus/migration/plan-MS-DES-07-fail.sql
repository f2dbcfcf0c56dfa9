20240101120000_init.sql
-- name: MS-DES-07 fail
-- description: a non-unique index over four columns
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, a text, b text, c text, d text);
CREATE INDEX tags_abcd_idx ON tags (a, b, c, d);
