0003_x.up.sql
-- name: MS-MAINT-02 pass
-- description: REFRESH MATERIALIZED VIEW CONCURRENTLY
-- group: maintenance
SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW CONCURRENTLY professional_ratings;
