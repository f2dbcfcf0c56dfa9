CREATE TYPE account_plan AS ENUM ('free', 'team', 'business', 'enterprise');
SET lock_timeout = '3s';
-- account_overview reads plan: drop it around the type change.
DROP VIEW account_overview;
ALTER TABLE accounts ALTER COLUMN plan DROP DEFAULT;
ALTER TABLE accounts ALTER COLUMN plan TYPE account_plan USING plan::account_plan;
ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'free';
CREATE VIEW account_overview AS
SELECT a.id, a.name, a.plan, s.seats, s.current_period_end,
       (SELECT count(*) FROM memberships m WHERE m.account_id = a.id) AS members
FROM accounts a
LEFT JOIN subscriptions s ON s.account_id = a.id
WHERE a.deleted_at IS NULL;
