ALTER TABLE invoices ALTER COLUMN currency TYPE char(3);
