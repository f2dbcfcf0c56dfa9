-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY patients_phone_idx ON patients (phone);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY patients_phone_idx;
