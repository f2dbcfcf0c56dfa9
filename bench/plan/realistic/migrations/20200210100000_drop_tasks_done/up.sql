-- status replaced done in 2019; the app stopped reading it two releases ago.
ALTER TABLE tasks DROP COLUMN done;
