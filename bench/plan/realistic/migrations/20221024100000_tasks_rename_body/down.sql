ALTER TABLE tasks RENAME COLUMN description TO body;
