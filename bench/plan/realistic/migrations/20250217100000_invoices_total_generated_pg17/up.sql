-- total_cents was a STORED generated column added by hand in 2024 on staging only;
-- production gets it now, then the expression changes (PostgreSQL 17).
ALTER TABLE invoices ADD COLUMN total_cents bigint GENERATED ALWAYS AS (subtotal_cents + tax_cents) STORED;
ALTER TABLE invoices ALTER COLUMN total_cents SET EXPRESSION AS (coalesce(subtotal_cents, amount_cents) + tax_cents);
