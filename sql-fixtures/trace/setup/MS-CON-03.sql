ALTER TABLE professionals DROP CONSTRAINT professionals_pkey CASCADE;
