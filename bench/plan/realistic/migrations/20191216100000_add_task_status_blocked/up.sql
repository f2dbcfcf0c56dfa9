-- ADD VALUE runs in a transaction since PostgreSQL 12; nothing uses the value in this file.
ALTER TYPE task_status ADD VALUE 'blocked' AFTER 'in_progress';
