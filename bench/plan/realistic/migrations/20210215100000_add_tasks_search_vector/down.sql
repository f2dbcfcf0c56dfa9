ALTER TABLE tasks DROP COLUMN search_vector;
