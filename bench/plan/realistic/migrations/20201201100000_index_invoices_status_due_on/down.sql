DROP INDEX invoices_open_due_on_idx;
