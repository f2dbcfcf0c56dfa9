20240101120000_init.sql
-- name: MS-DES-02 fail
-- description: serial instead of identity
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigserial PRIMARY KEY, name text);
