SET lock_timeout = '3s';
ALTER TABLE invoices ADD COLUMN subtotal_cents integer;
ALTER TABLE invoices ADD COLUMN tax_cents integer NOT NULL DEFAULT 0;
