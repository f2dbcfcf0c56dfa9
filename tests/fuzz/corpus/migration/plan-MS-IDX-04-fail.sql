20240101120000_init.sql
-- name: MS-IDX-04 fail
-- description: CREATE INDEX CONCURRENTLY in a transactional migration fails
-- group: indexes
CREATE INDEX CONCURRENTLY appointments_starts_at_idx ON appointments (starts_at);
