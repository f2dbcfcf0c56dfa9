ALTER TABLE users DROP COLUMN onboarding;
DROP TYPE onboarding_state;
