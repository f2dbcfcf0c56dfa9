DROP VIEW account_overview;
ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT;
ALTER TABLE accounts ALTER COLUMN plan TYPE text USING plan::text;
ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'free';
DROP TYPE account_plan;
CREATE VIEW account_overview AS
SELECT a.id, a.name, a.plan, s.seats, s.current_period_end,
       (SELECT count(*) FROM memberships m WHERE m.account_id = a.id) AS members
FROM accounts a
LEFT JOIN subscriptions s ON s.account_id = a.id
WHERE a.deleted_at IS NULL;
