0001_create.sql
-- name: MS-MAINT-01 pass
-- description: a plain VACUUM (ANALYZE) outside a transaction
-- group: maintenance
-- migsafe:no-transaction
SET lock_timeout = '2s';
VACUUM (ANALYZE) appointments;
