0003_x.down.sql
-- Release 6: list a podiatrist's reviews. Risky on a large table: without CONCURRENTLY
-- this blocks writes to reviews while the index builds.
CREATE INDEX reviews_professional_id_idx ON reviews (professional_id);
