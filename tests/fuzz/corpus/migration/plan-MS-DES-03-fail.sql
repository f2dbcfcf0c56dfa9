V2__add.sql
-- name: MS-DES-03 fail
-- description: a varchar(n) column
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, name varchar(50));
