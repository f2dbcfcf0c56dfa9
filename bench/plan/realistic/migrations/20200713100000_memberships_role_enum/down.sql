ALTER TABLE memberships ALTER COLUMN role DROP DEFAULT;
ALTER TABLE memberships ALTER COLUMN role TYPE text USING role::text;
ALTER TABLE memberships ALTER COLUMN role SET DEFAULT 'member';
DROP TYPE membership_role;
