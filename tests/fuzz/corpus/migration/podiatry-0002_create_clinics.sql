0003_x.down.sql
-- Release 2: clinics where podiatrists practise.
-- migsafe:phase expand
CREATE TABLE clinics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    city text NOT NULL,
    postcode varchar(10)
);
