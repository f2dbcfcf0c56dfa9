0001_create.sql
-- name: MS-IDX-04 pass
-- description: the same statement in a migration marked no-transaction
-- group: indexes
-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY appointments_starts_at_idx ON appointments (starts_at);
