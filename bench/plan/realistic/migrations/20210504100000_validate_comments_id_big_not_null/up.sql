ALTER TABLE comments VALIDATE CONSTRAINT comments_id_big_not_null;
