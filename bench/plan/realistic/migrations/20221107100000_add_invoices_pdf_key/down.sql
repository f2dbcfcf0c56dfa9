ALTER TABLE invoices DROP COLUMN pdf_storage_key;
