V2__add.sql
-- name: MS-OPS-06 pass
-- description: IF NOT EXISTS makes the rerun safe
-- group: operations
-- migsafe:no-transaction
SET lock_timeout = '2s';
CREATE TABLE IF NOT EXISTS audit_events (id bigint PRIMARY KEY, payload jsonb);
