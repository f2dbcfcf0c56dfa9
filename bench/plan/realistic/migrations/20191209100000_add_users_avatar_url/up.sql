ALTER TABLE users ADD COLUMN avatar_url text;
COMMENT ON COLUMN users.avatar_url IS 'Public URL of the resized avatar; NULL shows initials.';
