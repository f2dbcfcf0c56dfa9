SET lock_timeout = '3s';
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_currency_iso;
