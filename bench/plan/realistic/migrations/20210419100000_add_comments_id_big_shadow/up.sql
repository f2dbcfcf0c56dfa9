-- Expand: a bigint shadow of comments.id, filled by trigger and a batched job.
SET lock_timeout = '3s';
ALTER TABLE comments ADD COLUMN id_big bigint;
CREATE OR REPLACE FUNCTION comments_fill_id_big() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.id_big := NEW.id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER comments_fill_id_big BEFORE INSERT OR UPDATE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_fill_id_big();
