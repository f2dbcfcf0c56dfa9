-- Reference data for due-date calculations.
CREATE TABLE holidays (
    country char(2) NOT NULL,
    day date NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (country, day)
);
INSERT INTO holidays (country, day, name) VALUES
    ('US', '2023-01-01', 'New Year''s Day'),
    ('US', '2023-07-04', 'Independence Day'),
    ('DE', '2023-10-03', 'Tag der Deutschen Einheit');
