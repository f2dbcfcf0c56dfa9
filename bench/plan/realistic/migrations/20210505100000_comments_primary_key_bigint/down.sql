SET lock_timeout = '3s';
ALTER TABLE comments RENAME COLUMN id TO id_big;
ALTER TABLE comments RENAME COLUMN id_old TO id;
