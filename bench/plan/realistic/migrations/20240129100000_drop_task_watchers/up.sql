-- Watching is a notification preference now (task_subscriptions in the API).
DROP TABLE task_watchers;
