UPDATE users SET full_name = split_part(email::text, '@', 1) WHERE full_name IS NULL;
