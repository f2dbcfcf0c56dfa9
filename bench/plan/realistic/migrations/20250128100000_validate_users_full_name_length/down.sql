-- PostgreSQL 18: keep the constraint as documentation, NOT ENFORCED, instead of dropping it.
ALTER TABLE users DROP CONSTRAINT users_full_name_length;
ALTER TABLE users ADD CONSTRAINT users_full_name_length CHECK (char_length(full_name) <= 200) NOT ENFORCED;
