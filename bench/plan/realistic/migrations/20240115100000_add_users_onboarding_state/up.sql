CREATE TYPE onboarding_state AS ENUM ('new', 'invited', 'active');
SET lock_timeout = '3s';
ALTER TABLE users ADD COLUMN onboarding onboarding_state NOT NULL DEFAULT 'active';
