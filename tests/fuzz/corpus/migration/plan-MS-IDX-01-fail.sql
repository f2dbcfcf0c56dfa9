0003_x.down.sql
-- name: MS-IDX-01 fail
-- description: a plain CREATE INDEX on an existing table blocks writes while it builds
-- group: indexes
SET lock_timeout = '2s';
CREATE INDEX professionals_city_idx ON professionals (city);
