ALTER TABLE invoices DROP COLUMN subscription_id;
