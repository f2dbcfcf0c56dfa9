V2__add.sql
-- name: MS-IDX-07 pass
-- description: CREATE INDEX ON ONLY the parent, then each partition concurrently
-- group: indexes
-- migsafe:no-transaction
CREATE TABLE IF NOT EXISTS visits (id bigint, visited_on date) PARTITION BY RANGE (visited_on);
CREATE INDEX IF NOT EXISTS visits_visited_on_idx ON ONLY visits (visited_on);
