DROP INDEX audit_events_actor_id_idx;
