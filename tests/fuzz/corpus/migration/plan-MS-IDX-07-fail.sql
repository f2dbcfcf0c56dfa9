0001_create.sql
-- name: MS-IDX-07 fail
-- description: CONCURRENTLY is refused on a partitioned table
-- group: indexes
-- migsafe:no-transaction
CREATE TABLE IF NOT EXISTS visits (id bigint, visited_on date) PARTITION BY RANGE (visited_on);
CREATE INDEX CONCURRENTLY visits_visited_on_idx ON visits (visited_on);
