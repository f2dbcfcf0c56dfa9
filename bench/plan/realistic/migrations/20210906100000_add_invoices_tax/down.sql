ALTER TABLE invoices DROP COLUMN tax_cents;
ALTER TABLE invoices DROP COLUMN subtotal_cents;
