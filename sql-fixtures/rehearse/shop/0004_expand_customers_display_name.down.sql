-- migsafe:allow MS-BRK-01 the column is new in this release and nothing reads it yet
ALTER TABLE customers DROP COLUMN display_name;
