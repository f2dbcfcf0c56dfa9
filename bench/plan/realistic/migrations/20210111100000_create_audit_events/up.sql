-- Partitioned by month from day one; the old audit_logs table is attached later.
CREATE TABLE audit_events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    account_id integer NOT NULL,
    actor_id integer,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id bigint NOT NULL,
    changes jsonb NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE audit_events_2021_01 PARTITION OF audit_events
    FOR VALUES FROM ('2021-01-01') TO ('2021-02-01');
CREATE TABLE audit_events_2021_02 PARTITION OF audit_events
    FOR VALUES FROM ('2021-02-01') TO ('2021-03-01');
CREATE TABLE audit_events_2021_03 PARTITION OF audit_events
    FOR VALUES FROM ('2021-03-01') TO ('2021-04-01');
CREATE INDEX audit_events_account_id_occurred_at_idx ON audit_events (account_id, occurred_at);
