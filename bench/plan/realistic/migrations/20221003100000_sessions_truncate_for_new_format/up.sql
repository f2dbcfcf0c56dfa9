-- Session payload format changed; everybody signs in again.
TRUNCATE sessions;
