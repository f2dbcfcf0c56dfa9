-- Enterprise invoices overflowed integer cents (21M USD) in a test; widen now.
SET lock_timeout = '3s';
ALTER TABLE invoices ALTER COLUMN amount_cents TYPE bigint;
ALTER TABLE invoices ALTER COLUMN subtotal_cents TYPE bigint;
ALTER TABLE invoices ALTER COLUMN tax_cents TYPE bigint;
