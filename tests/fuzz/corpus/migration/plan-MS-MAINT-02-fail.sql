V2__add.sql
-- name: MS-MAINT-02 fail
-- description: REFRESH MATERIALIZED VIEW blocks readers
-- group: maintenance
SET lock_timeout = '2s';
REFRESH MATERIALIZED VIEW professional_ratings;
