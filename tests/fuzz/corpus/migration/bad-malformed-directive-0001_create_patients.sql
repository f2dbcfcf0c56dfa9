0003_x.down.sql
-- migsafe:phase expand
-- migsafe:allow MS-LOCK-01
CREATE TABLE patients (id bigint PRIMARY KEY);
