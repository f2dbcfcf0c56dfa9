0003_x.down.sql
-- name: MS-DES-04 fail
-- description: timestamp without time zone
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, created_at timestamp);
