-- name: MS-DES-04 fail
-- description: timestamp without time zone
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, created_at timestamp);
