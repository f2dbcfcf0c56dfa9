-- Every invoice so far was tax-free: subtotal = amount. One statement, the whole table.
UPDATE invoices SET subtotal_cents = amount_cents;
