CREATE TYPE membership_role AS ENUM ('owner', 'admin', 'member', 'guest');
ALTER TABLE memberships ALTER COLUMN role DROP DEFAULT;
ALTER TABLE memberships ALTER COLUMN role TYPE membership_role USING role::membership_role;
ALTER TABLE memberships ALTER COLUMN role SET DEFAULT 'member';
