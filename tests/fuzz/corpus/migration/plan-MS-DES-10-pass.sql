0003_x.up.sql
-- name: MS-DES-10 pass
-- description: each column once
-- group: design
-- design-lints: on
CREATE TABLE public.tags (id bigint PRIMARY KEY, name text);
