ALTER INDEX saved_views_user_id_idx RENAME TO saved_filters_user_id_idx;
ALTER TABLE saved_views RENAME TO saved_filters;
