-- Who invited whom, for the audit screen.
ALTER TABLE memberships ADD COLUMN invited_by_id integer REFERENCES users (id);
