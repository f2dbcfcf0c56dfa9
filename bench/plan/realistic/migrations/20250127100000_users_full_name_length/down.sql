ALTER TABLE users DROP CONSTRAINT users_full_name_length;
