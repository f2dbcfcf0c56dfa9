-- The safe way to index a partitioned table: ON ONLY the parent (invalid), then each
-- partition concurrently, then attach. Step 1.
CREATE INDEX audit_events_actor_id_idx ON ONLY audit_events (actor_id);
