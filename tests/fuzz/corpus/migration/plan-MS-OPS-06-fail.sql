0001_create.sql
-- name: MS-OPS-06 fail
-- description: a non-transactional migration without IF NOT EXISTS
-- group: operations
-- migsafe:no-transaction
SET lock_timeout = '2s';
CREATE TABLE audit_events (id bigint PRIMARY KEY, payload jsonb);
