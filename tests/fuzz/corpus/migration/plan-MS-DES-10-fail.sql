V2__add.sql
-- name: MS-DES-10 fail
-- description: the same column twice
-- group: design
-- design-lints: on
CREATE TABLE public.tags (id bigint PRIMARY KEY, name text, name text);
