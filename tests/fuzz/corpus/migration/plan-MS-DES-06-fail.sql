0003_x.up.sql
-- name: MS-DES-06 fail
-- description: an unqualified table name
-- group: design
-- design-lints: on
CREATE TABLE public.tags (id bigint PRIMARY KEY);
CREATE INDEX tags_id_idx ON tags (id);
