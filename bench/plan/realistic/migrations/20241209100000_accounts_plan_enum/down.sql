ALTER TABLE accounts ALTER COLUMN plan TYPE text USING plan::text;
DROP TYPE account_plan;
