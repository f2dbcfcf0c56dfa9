20240101120000_init.sql
-- name: MS-IDX-01 pass
-- description: CREATE INDEX CONCURRENTLY alone in a non-transactional migration
-- group: indexes
-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY professionals_city_idx ON professionals (city);
