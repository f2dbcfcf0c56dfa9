DROP TRIGGER IF EXISTS comments_fill_id_big ON comments;
DROP FUNCTION IF EXISTS comments_fill_id_big();
ALTER TABLE comments DROP COLUMN IF EXISTS id_big;
