-- Defence in depth for the reporting role: it only sees its account's projects. The app
-- connects as the table owner, which RLS does not restrict (no FORCE).
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_reporting ON projects FOR SELECT TO PUBLIC
    USING (account_id = nullif(current_setting('app.account_id', true), '')::integer);
