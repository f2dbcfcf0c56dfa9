0001_create.sql
-- name: MS-DES-02 pass
-- description: an identity column
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
