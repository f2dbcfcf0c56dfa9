-- archived_at is the truth since 2019; the boolean goes.
ALTER TABLE projects DROP COLUMN archived;
