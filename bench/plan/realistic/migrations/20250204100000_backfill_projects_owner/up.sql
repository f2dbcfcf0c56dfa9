UPDATE projects p
SET owner_id = m.user_id
FROM memberships m
WHERE m.account_id = p.account_id AND m.role = 'owner' AND p.owner_id IS NULL
  AND p.id BETWEEN 1 AND 100000;
