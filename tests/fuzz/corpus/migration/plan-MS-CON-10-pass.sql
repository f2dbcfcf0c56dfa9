0003_x.up.sql
-- name: MS-CON-10 pass
-- description: dropping a CHECK constraint locks one table only
-- group: constraints
-- migsafe:no-transaction
SET lock_timeout = '2s';
ALTER TABLE appointments ADD CONSTRAINT appointments_price_positive CHECK (price > 0) NOT VALID;
ALTER TABLE appointments DROP CONSTRAINT appointments_price_positive;
