DROP TABLE thread_summaries;
