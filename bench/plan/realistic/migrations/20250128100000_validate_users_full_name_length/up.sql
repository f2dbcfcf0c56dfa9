ALTER TABLE users VALIDATE CONSTRAINT users_full_name_length;
