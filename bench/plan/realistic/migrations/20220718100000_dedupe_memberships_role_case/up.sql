-- Old importer wrote duplicated memberships before the unique constraint existed on
-- staging copies; production has none, this is a no-op there.
DELETE FROM memberships a
USING memberships b
WHERE a.account_id = b.account_id AND a.user_id = b.user_id AND a.id > b.id;
