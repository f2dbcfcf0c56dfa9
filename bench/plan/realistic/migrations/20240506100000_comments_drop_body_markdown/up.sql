-- body_html is rendered by the app now; keep markdown (body) as the source. Nothing to
-- drop after all; just document.
COMMENT ON COLUMN comments.body_html IS 'Rendered from body by the app on write.';
