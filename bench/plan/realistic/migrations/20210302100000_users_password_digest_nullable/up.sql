-- Users who sign in with an identity provider have no password.
ALTER TABLE users ALTER COLUMN password_digest DROP NOT NULL;
