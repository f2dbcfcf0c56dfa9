DROP TABLE audit_events_2021_12, audit_events_2021_11, audit_events_2021_10,
    audit_events_2021_09, audit_events_2021_08, audit_events_2021_07;
