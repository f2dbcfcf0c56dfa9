SET lock_timeout = '3s';
ALTER TABLE users ADD CONSTRAINT users_full_name_length CHECK (char_length(full_name) <= 200) NOT VALID;
