INSERT INTO account_invites (account_id, email, token_digest, invited_by_id, created_at)
SELECT account_id, email, encode(digest(token, 'sha256'), 'hex'), invited_by_id, created_at
FROM invitations
WHERE accepted_at IS NULL AND created_at > now() - interval '7 days';
