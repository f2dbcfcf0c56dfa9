SET lock_timeout = '3s';
ALTER TABLE payments ADD COLUMN refunded_cents integer NOT NULL DEFAULT 0;
ALTER TABLE payments ADD CONSTRAINT payments_refund_check CHECK (refunded_cents <= amount_cents) NOT VALID;
