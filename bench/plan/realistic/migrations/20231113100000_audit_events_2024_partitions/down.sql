DROP TABLE audit_events_2024_q2, audit_events_2024_q1;
