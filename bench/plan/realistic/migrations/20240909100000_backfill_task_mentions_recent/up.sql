-- Mentions from the last 30 days, parsed from comment bodies.
INSERT INTO task_mentions (comment_id, user_id)
SELECT DISTINCT c.id, u.id
FROM comments c
CROSS JOIN LATERAL regexp_matches(c.body, '@([A-Za-z0-9._-]+)', 'g') AS m(handle)
JOIN users u ON split_part(u.email::text, '@', 1) = m.handle[1]
WHERE c.created_at > now() - interval '30 days'
ON CONFLICT DO NOTHING;
