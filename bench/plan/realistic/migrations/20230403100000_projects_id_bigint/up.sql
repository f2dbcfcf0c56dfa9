-- The last integer key in the hot path. Planned maintenance window: 02:00 UTC.
SET lock_timeout = '10s';
SET statement_timeout = '15min';
ALTER TABLE projects ALTER COLUMN id TYPE bigint;
