UPDATE invoices SET subtotal_cents = NULL;
