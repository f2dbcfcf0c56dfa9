-- paid_at from the first successful payment.
UPDATE invoices i
SET paid_at = p.succeeded_at
FROM payments p
WHERE p.invoice_id = i.id
  AND p.succeeded_at IS NOT NULL
  AND i.status = 'paid'
  AND i.paid_at IS NULL;
