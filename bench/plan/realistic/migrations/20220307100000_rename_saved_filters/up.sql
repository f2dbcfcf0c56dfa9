-- Product calls them views now.
ALTER TABLE saved_filters RENAME TO saved_views;
ALTER INDEX saved_filters_user_id_idx RENAME TO saved_views_user_id_idx;
