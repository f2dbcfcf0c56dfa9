DROP TABLE audit_events_2021_01;
