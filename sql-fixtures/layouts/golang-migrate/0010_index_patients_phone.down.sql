DROP INDEX CONCURRENTLY patients_phone_idx;
