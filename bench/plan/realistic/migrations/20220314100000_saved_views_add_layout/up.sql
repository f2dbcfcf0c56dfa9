ALTER TABLE saved_views ADD COLUMN layout text NOT NULL DEFAULT 'list';
ALTER TABLE saved_views ADD COLUMN shared boolean NOT NULL DEFAULT false;
