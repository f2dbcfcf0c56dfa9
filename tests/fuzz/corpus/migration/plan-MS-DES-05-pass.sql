V2__add.sql
-- name: MS-DES-05 pass
-- description: a short name
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, label text);
