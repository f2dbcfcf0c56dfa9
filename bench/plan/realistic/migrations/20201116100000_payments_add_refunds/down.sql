ALTER TABLE payments DROP CONSTRAINT payments_refund_check;
ALTER TABLE payments DROP COLUMN refunded_cents;
