ALTER TABLE invoices DROP CONSTRAINT invoices_amount_cents_check;
