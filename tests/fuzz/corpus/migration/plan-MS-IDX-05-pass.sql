0003_x.up.sql
-- name: MS-IDX-05 pass
-- description: a named index without IF NOT EXISTS
-- group: indexes
-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY reviews_rating_idx ON reviews (rating);
