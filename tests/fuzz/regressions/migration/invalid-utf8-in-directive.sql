0001_d.sql
-- migsafe:allow MS-IDX-01 reason=Ã(
CREATE INDEX i ON t (a);
