ALTER TABLE users ALTER COLUMN onboarding SET DEFAULT 'active';
