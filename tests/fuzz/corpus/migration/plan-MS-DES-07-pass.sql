0001_create.sql
-- name: MS-DES-07 pass
-- description: an index over two columns
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, a text, b text, c text, d text);
CREATE INDEX tags_ab_idx ON tags (a, b);
