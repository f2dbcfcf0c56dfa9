SET lock_timeout = '3s';
ALTER TABLE payments ALTER COLUMN amount_cents TYPE bigint, ALTER COLUMN refunded_cents TYPE bigint;
