UPDATE invoices SET paid_at = NULL;
