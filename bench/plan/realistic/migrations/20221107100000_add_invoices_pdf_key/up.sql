ALTER TABLE invoices ADD COLUMN pdf_storage_key text;
