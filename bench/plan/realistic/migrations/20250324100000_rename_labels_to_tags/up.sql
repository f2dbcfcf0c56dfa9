-- Product renamed labels to tags in the UI in 2024; the schema follows.
SET lock_timeout = '3s';
ALTER TABLE labels RENAME TO tags;
