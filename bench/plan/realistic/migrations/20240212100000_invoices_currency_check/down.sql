ALTER TABLE invoices DROP CONSTRAINT invoices_currency_iso;
