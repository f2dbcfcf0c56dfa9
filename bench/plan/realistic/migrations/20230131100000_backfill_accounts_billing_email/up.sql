-- From the owner's email. Accounts are few (tens of thousands).
UPDATE accounts a
SET billing_email = u.email
FROM memberships m
JOIN users u ON u.id = m.user_id
WHERE m.account_id = a.id AND m.role = 'owner' AND a.billing_email IS NULL;
