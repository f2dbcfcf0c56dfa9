SET lock_timeout = '3s';
ALTER TABLE invoices ADD CONSTRAINT invoices_currency_iso CHECK (currency ~ '^[A-Z]{3}$') NOT VALID;
