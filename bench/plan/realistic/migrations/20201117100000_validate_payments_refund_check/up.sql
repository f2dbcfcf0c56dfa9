ALTER TABLE payments VALIDATE CONSTRAINT payments_refund_check;
