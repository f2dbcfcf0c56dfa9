0003_x.down.sql
-- name: MS-DES-06 pass
-- description: schema-qualified names
-- group: design
-- design-lints: on
CREATE TABLE public.tags (id bigint PRIMARY KEY);
CREATE INDEX tags_id_idx ON public.tags (id);
