ALTER TABLE users ALTER COLUMN locale TYPE varchar(10);
