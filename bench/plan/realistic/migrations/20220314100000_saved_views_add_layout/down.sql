ALTER TABLE saved_views DROP COLUMN shared;
ALTER TABLE saved_views DROP COLUMN layout;
