DROP TRIGGER comments_fill_id_big ON comments;
DROP FUNCTION comments_fill_id_big();
ALTER TABLE comments DROP COLUMN id_big;
