0003_x.up.sql
-- name: MS-BRK-07 fail
-- description: renaming an enum value breaks code that writes it
-- group: breaking
ALTER TYPE appointment_status RENAME VALUE 'canceled' TO 'cancelled';
