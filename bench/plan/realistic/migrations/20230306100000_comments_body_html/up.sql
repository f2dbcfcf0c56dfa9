-- Expand: rendered HTML next to markdown, filled by the app on write and a job.
ALTER TABLE comments ADD COLUMN body_html text;
