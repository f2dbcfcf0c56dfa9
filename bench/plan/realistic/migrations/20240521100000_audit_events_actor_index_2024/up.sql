-- migsafe:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_events_2024_q1_actor_id_idx ON audit_events_2024_q1 (actor_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_events_2024_q2_actor_id_idx ON audit_events_2024_q2 (actor_id);
ALTER INDEX audit_events_actor_id_idx ATTACH PARTITION audit_events_2024_q1_actor_id_idx;
ALTER INDEX audit_events_actor_id_idx ATTACH PARTITION audit_events_2024_q2_actor_id_idx;
