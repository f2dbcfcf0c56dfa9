ALTER TABLE comments DROP CONSTRAINT comments_id_big_not_null;
