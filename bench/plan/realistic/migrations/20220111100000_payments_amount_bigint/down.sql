ALTER TABLE payments ALTER COLUMN amount_cents TYPE integer, ALTER COLUMN refunded_cents TYPE integer;
