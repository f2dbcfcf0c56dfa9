0001_create.sql
-- name: MS-DES-05 fail
-- description: an identifier longer than 63 bytes
-- group: design
-- design-lints: on
CREATE TABLE tags (id bigint PRIMARY KEY, this_column_name_is_much_longer_than_postgres_allows_for_identifiers text);
