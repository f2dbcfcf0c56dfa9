DROP TABLE task_labels;
DROP TABLE labels;
