V2__add.sql
-- name: MS-BRK-04 fail
-- description: DROP TABLE outside a contract step
-- group: breaking
SET lock_timeout = '2s';
DROP TABLE legacy_reviews;
