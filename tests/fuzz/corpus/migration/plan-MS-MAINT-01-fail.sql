20240101120000_init.sql
-- name: MS-MAINT-01 fail
-- description: CLUSTER rewrites the table under AccessExclusiveLock
-- group: maintenance
SET lock_timeout = '2s';
CLUSTER appointments USING appointments_pkey;
