0001_create.sql
-- name: MS-CON-02 fail
-- description: ADD PRIMARY KEY scans and builds under AccessExclusiveLock
-- group: constraints
SET lock_timeout = '2s';
ALTER TABLE clinics ADD PRIMARY KEY (id);
