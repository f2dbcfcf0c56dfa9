20240101120000_init.sql
-- name: MS-MAINT-03 pass
-- description: a storage parameter change (no rewrite)
-- group: maintenance
SET lock_timeout = '2s';
ALTER TABLE audit_log SET (fillfactor = 90);
