-- "description" clashes with the new rich-text field; call it summary.
ALTER TABLE projects RENAME COLUMN description TO summary;
