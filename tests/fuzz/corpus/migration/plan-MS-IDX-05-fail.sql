V2__add.sql
-- name: MS-IDX-05 fail
-- description: CONCURRENTLY with IF NOT EXISTS hides an invalid index left by a failed run
-- group: indexes
-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS reviews_rating_idx ON reviews (rating);
