0003_x.down.sql
-- name: MS-BRK-07 pass
-- description: adding a value at an explicit position
-- group: breaking
ALTER TYPE appointment_status ADD VALUE 'no_show' AFTER 'cancelled';
