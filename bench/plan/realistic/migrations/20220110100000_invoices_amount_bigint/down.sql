ALTER TABLE invoices ALTER COLUMN tax_cents TYPE integer;
ALTER TABLE invoices ALTER COLUMN subtotal_cents TYPE integer;
ALTER TABLE invoices ALTER COLUMN amount_cents TYPE integer;
