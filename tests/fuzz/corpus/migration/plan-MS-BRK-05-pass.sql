20240101120000_init.sql
-- name: MS-BRK-05 pass
-- description: drop the tables one by one in a contract step
-- group: breaking
-- migsafe:phase contract
SET lock_timeout = '2s';
DROP TABLE legacy.reviews;
