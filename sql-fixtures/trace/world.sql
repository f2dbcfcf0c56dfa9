-- name: trace world
-- description: the schema every sql-fixtures/plan example is traced against (rows are
--   added by the trace's row generator); sql-fixtures/trace/setup/<RULE>[-fail|-pass].sql
--   adds or removes what one example needs
-- group: trace
CREATE TYPE appointment_status AS ENUM ('booked', 'canceled', 'done');
CREATE DOMAIN rating AS integer;

CREATE TABLE professionals (
    id bigserial PRIMARY KEY,
    first_name text NOT NULL,
    last_name varchar(100) NOT NULL,
    email text,
    city text,
    fax text
);

CREATE TABLE clinics (id bigint NOT NULL, name text);
CREATE UNIQUE INDEX clinics_id_key ON clinics (id);

CREATE TABLE appointments (
    id serial PRIMARY KEY,
    professional_id bigint NOT NULL,
    starts_at timestamptz NOT NULL,
    during tstzrange,
    status appointment_status NOT NULL DEFAULT 'booked',
    price numeric(10, 2)
);

CREATE TABLE reviews (
    id bigserial PRIMARY KEY,
    professional_id bigint REFERENCES professionals (id),
    rating rating,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE legacy_reviews (id bigint PRIMARY KEY, body text);
CREATE SCHEMA legacy;
CREATE TABLE legacy.reviews (id bigint PRIMARY KEY, body text);

CREATE UNLOGGED TABLE audit_log (id bigserial PRIMARY KEY, event text);

CREATE TABLE visits (id bigint, visited_on date) PARTITION BY RANGE (visited_on);
CREATE TABLE visits_2020 PARTITION OF visits FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE visits_2027 (id bigint, visited_on date);

CREATE MATERIALIZED VIEW professional_ratings AS
    SELECT professional_id, avg(rating) AS rating FROM reviews GROUP BY professional_id;
CREATE UNIQUE INDEX professional_ratings_key ON professional_ratings (professional_id);
