ALTER TABLE invoices ALTER COLUMN currency TYPE text;
