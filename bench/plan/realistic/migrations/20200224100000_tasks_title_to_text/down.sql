ALTER TABLE tasks ALTER COLUMN title TYPE varchar(200);
