-- One-off cleanup before retention is enforced by the job: notifications older than a
-- year are never shown.
DELETE FROM notifications WHERE created_at < '2020-10-01';
