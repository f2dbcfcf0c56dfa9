-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY patients_phone_idx ON patients (phone);
