-- Replaced by invoices_account_id_status_idx (built concurrently last week).
DROP INDEX invoices_account_id_idx;
