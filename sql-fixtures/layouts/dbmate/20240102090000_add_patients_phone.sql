-- migrate:up
ALTER TABLE patients ADD COLUMN phone text;

-- migrate:down
ALTER TABLE patients DROP COLUMN phone;
