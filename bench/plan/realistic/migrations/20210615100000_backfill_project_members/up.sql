-- Private projects keep their creators as members: only the few private projects.
INSERT INTO project_members (project_id, user_id, role)
SELECT p.id, m.user_id, 'owner'
FROM projects p
JOIN memberships m ON m.account_id = p.account_id AND m.role = 'owner'
WHERE p.visibility = 'private'
ON CONFLICT DO NOTHING;
