-- New sign-ups start at 'new'; existing users keep 'active'.
ALTER TABLE users ALTER COLUMN onboarding SET DEFAULT 'new';
