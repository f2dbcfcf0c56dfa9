-- The job did the bulk; this finishes the last 10k rows the job skipped.
UPDATE comments SET body_html = '<p>' || body || '</p>'
WHERE body_html IS NULL AND id IN (SELECT id FROM comments WHERE body_html IS NULL ORDER BY id LIMIT 10000);
