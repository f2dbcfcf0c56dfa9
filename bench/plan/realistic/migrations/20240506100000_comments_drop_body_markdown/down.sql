COMMENT ON COLUMN comments.body_html IS NULL;
