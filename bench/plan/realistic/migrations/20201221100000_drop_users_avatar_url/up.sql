-- Avatars moved to attachments-style storage keys (users.avatar_key, next migration).
ALTER TABLE users DROP COLUMN avatar_url;
