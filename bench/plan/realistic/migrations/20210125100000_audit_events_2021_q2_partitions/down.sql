DROP TABLE audit_events_2021_06;
DROP TABLE audit_events_2021_05;
DROP TABLE audit_events_2021_04;
