-- Covered by the composite index built yesterday.
DROP INDEX comments_author_id_idx;
