SET lock_timeout = '3s';
ALTER TABLE invoices ADD CONSTRAINT invoices_amount_cents_check CHECK (amount_cents >= 0) NOT VALID;
