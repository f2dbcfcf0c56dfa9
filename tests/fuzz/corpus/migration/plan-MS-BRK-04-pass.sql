0003_x.up.sql
-- name: MS-BRK-04 pass
-- description: DROP TABLE in a file marked as a contract step
-- group: breaking
-- migsafe:phase contract
SET lock_timeout = '2s';
DROP TABLE legacy_reviews;
